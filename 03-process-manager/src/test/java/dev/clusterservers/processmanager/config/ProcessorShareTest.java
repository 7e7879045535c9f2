package dev.clusterservers.processmanager.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each instance's JVM is told its share of the cores, unless the app says otherwise: no processes. */
class ProcessorShareTest {
    @TempDir
    Path dir;

    @BeforeEach
    void anAppJar() throws IOException {
        Files.createFile(dir.resolve("api.jar"));
    }

    AppSpec app(String keys) throws ConfigException {
        return new EcosystemFile("process.json", dir, 4)
                .parse("{\"apps\":[{\"script\":\"api.jar\"" + keys + "}]}").get(0);
    }

    @Test
    void fourInstancesOnTwoCoresAreEachToldOne() throws ConfigException {
        assertThat(ProcessorShare.of(app(",\"instances\":4"), 2))
                .isEqualTo(new ProcessorShare.Choice(1, "jpm's default: 2 cores ÷ 4 instances", List.of("-XX:ActiveProcessorCount=1")));
    }

    @Test
    void twoInstancesOnFourCoresAreEachToldTwo() throws ConfigException {
        assertThat(ProcessorShare.of(app(",\"instances\":2"), 4).flags()).containsExactly("-XX:ActiveProcessorCount=2");
    }

    @Test
    void oneInstanceSeesTheWholeMachineAndGetsNoFlag() throws ConfigException {
        assertThat(ProcessorShare.of(app(",\"instances\":1"), 4))
                .isEqualTo(new ProcessorShare.Choice(4, "the machine's 4 cores", List.of()));
    }

    @Test
    void theAppsOwnJvmArgsWinAndJpmAddsNothing() throws ConfigException {
        assertThat(ProcessorShare.of(app(",\"instances\":4,\"jvm_args\":\"-XX:ActiveProcessorCount=3\""), 2))
                .isEqualTo(new ProcessorShare.Choice(3, "jvm_args", List.of()));
    }
}
