package dev.clusterservers.processmanager.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeapSizeTest {
    @TempDir
    Path dir;

    @BeforeEach
    void anAppJar() throws IOException {
        Files.createFile(dir.resolve("api.jar"));
    }

    HeapSize.Choice heapOf(String keys) throws ConfigException {
        return HeapSize.of(new EcosystemFile("process.json", dir, 4)
                .parse("{\"apps\":[{\"script\":\"api.jar\",\"instances\":4" + keys + "}]}").get(0));
    }

    @Test
    void anAppThatSaysNothingGetsJpmsFixedDefaultNotAQuarterOfTheMachineEach() throws ConfigException {
        assertThat(heapOf("")).isEqualTo(new HeapSize.Choice("128m", "jpm's default", java.util.List.of("-Xmx128m")));
    }

    @Test
    void maxMemoryRestartLeavesHalfForTheHeap() throws ConfigException {
        assertThat(heapOf(",\"max_memory_restart\":\"300M\"").flags()).containsExactly("-Xmx150m");
        assertThat(heapOf(",\"max_memory_restart\":\"300M\"").source()).isEqualTo("half of max_memory_restart");
    }

    @Test
    void jvmArgsThatSetTheHeapWinAndJpmAddsNothing() throws ConfigException {
        assertThat(heapOf(",\"jvm_args\":\"-Xmx512M\",\"max_memory_restart\":\"300M\""))
                .isEqualTo(new HeapSize.Choice("512m", "jvm_args", java.util.List.of()));
        assertThat(heapOf(",\"jvm_args\":\"-XX:MaxRAMPercentage=10\"").flags()).isEmpty();
    }
}
