package dev.clusterservers.beyondonemachine.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeApiTest {
    /** What HAProxy 2.6 answered to `show stat` during a rolling deploy: h2 drained, its check coming back. */
    private static String recorded() throws Exception {
        try (InputStream in = RuntimeApiTest.class.getResourceAsStream("/show-stat-haproxy-2.6.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void showStatIsReadByItsHeadersNamesAndKeepsOnlyTheBackendsServers() throws Exception {
        Map<String, RuntimeApi.ServerStat> servers = RuntimeApi.parseStat(recorded());
        assertThat(servers).containsOnlyKeys("h1", "h2", "h3");
        assertThat(servers.get("h1").status()).isEqualTo("UP");
        assertThat(servers.get("h1").total()).isPositive();
        assertThat(servers.get("h1").responses2xx()).isPositive();
    }

    @Test
    void aDrainedServerWhoseCheckIsComingBackCountsAsDrainAndStillUp() throws Exception {
        RuntimeApi.ServerStat h2 = RuntimeApi.parseStat(recorded()).get("h2");
        assertThat(h2.status()).isEqualTo("DRAIN 1/2");
        assertThat(h2.admin()).isEqualTo("drain");
        assertThat(h2.up()).isTrue();
    }

    @Test
    void aDownServerIsNotUp() {
        String csv = "# pxname,svname,scur,stot,status,hrsp_2xx,hrsp_5xx,check_status\n"
                + "api,h1,0,10,DOWN,9,1,L4TOUT\napi,BACKEND,0,10,UP,9,1,\n";
        RuntimeApi.ServerStat h1 = RuntimeApi.parseStat(csv).get("h1");
        assertThat(h1.up()).isFalse();
        assertThat(h1.check()).isEqualTo("L4TOUT");
        assertThat(h1.responses5xx()).isEqualTo(1);
    }
}
