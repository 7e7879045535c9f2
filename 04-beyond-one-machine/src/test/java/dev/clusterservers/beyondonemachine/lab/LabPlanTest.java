package dev.clusterservers.beyondonemachine.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabPlanTest {
    private static LabPlan plan(int hosts) {
        return new LabPlan("jcs", "10.77.0", hosts, 2, 8000, 8080);
    }

    @Test
    void everyHostGetsItsOwnAddressOnTheLabSubnet() {
        LabPlan plan = plan(3);
        assertThat(plan.hostNames()).containsExactly("h1", "h2", "h3");
        assertThat(plan.hostAddress("h1")).isEqualTo("10.77.0.11");
        assertThat(plan.hostAddress("h3")).isEqualTo("10.77.0.13");
        assertThat(plan.redisAddress()).isEqualTo("10.77.0.2");
        assertThat(plan.bridgeAddress()).isEqualTo("10.77.0.1");
    }

    @Test
    void everyNamespaceAndLinkCarriesTheLabsPrefixAndFitsLinuxsFifteenCharacters() {
        LabPlan plan = new LabPlan("abcdefgh", "10.77.0", 16, 1, 8000, 8080);
        assertThat(plan.namespaces()).allSatisfy(ns -> assertThat(ns).startsWith(plan.prefix()));
        assertThat(plan.namespaces()).first().isEqualTo("abcdefgh-db");
        // The veth's other end is the namespace's name plus "p" before it is renamed eth0.
        assertThat(plan.namespaces()).allSatisfy(ns -> assertThat((ns + "p").length()).isLessThanOrEqualTo(15));
        assertThat(plan.bridge()).isEqualTo("abcdefgh-br");
    }

    @Test
    void aHostCountOutsideOneToSixteenIsRefusedWithTheAllowedRange() {
        assertThatThrownBy(() -> plan(0)).hasMessageContaining("--hosts must be between 1 and 16").hasMessageContaining(": 0");
        assertThatThrownBy(() -> plan(300)).hasMessageContaining("--hosts must be between 1 and 16").hasMessageContaining(": 300");
    }

    @Test
    void aHostThatDoesNotExistIsNamedWithTheHostsThatDo() {
        assertThatThrownBy(() -> plan(3).hostAddress("h9")).hasMessage("no host 'h9' in this lab; its hosts are h1, h2, h3");
    }

    @Test
    void onlyAPrivateSubnetIsAccepted() {
        assertThatThrownBy(() -> new LabPlan("jcs", "8.8.8", 1, 1, 8000, 8080)).hasMessageContaining("private /24");
        assertThatThrownBy(() -> new LabPlan("jcs", "10.77.300", 1, 1, 8000, 8080)).hasMessageContaining("private /24");
        assertThat(new LabPlan("jcs", "192.168.77", 1, 1, 8000, 8080).redisAddress()).isEqualTo("192.168.77.2");
    }

    @Test
    void aNameThatWouldMakeTooLongALinkNameIsRefused() {
        assertThatThrownBy(() -> new LabPlan("toolongname", "10.77.0", 1, 1, 8000, 8080)).hasMessageContaining("--name must be 1 to 8");
        assertThatThrownBy(() -> new LabPlan("Bad-Name", "10.77.0", 1, 1, 8000, 8080)).hasMessageContaining("--name");
    }

    @Test
    void thePlanReadsBackAsItWasWritten(@TempDir Path dir) throws Exception {
        LabPlan plan = new LabPlan("t1", "10.77.9", 4, 3, 18000, 8080);
        Path file = dir.resolve("lab.properties");
        plan.save(file);
        assertThat(Files.readString(file)).contains("lab down");
        assertThat(LabPlan.load(file)).isEqualTo(plan);
    }
}
