package dev.clusterservers.processmanager.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each instance gets a heap limit of its own, not a quarter of the machine, and its share of the cores; list and describe say who chose. */
@Timeout(120)
class HeapIT extends JpmInAPrivateHome {
    static final String NO_HEAP_FLAG = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k";

    static List<String> commandLine(long pid) throws Exception {
        return List.of(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).split("\0"));
    }

    @Test
    void instancesWhoseJvmArgsSetNoHeapGetJpmsDefaultAndListShowsIt() throws Exception {
        String app = "{\"script\":\"" + JpmHarness.API_JAR + "\",\"instances\":2,\"exec_mode\":\"cluster\",\"port\":" + port
                + ",\"jvm_args\":\"" + NO_HEAP_FLAG + "\"}";
        JpmHarness.Result start = jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + app + "]}").toString()).expectOk();

        assertThat(start.out()).contains("│ heap │").contains("│ 128m │");
        for (ProcessInfo p : jpm.list()) {
            assertThat(p.maxHeap()).isEqualTo("128m");
            assertThat(p.maxHeapSource()).isEqualTo("jpm's default");
            assertThat(commandLine(p.pid())).contains("-Xmx128m");
            int share = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
            if (share < Runtime.getRuntime().availableProcessors()) {
                assertThat(commandLine(p.pid())).contains("-XX:ActiveProcessorCount=" + share);
                assertThat(p.processorsSource()).startsWith("jpm's default");
            }
        }
    }

    @Test
    void maxMemoryRestartSizesTheHeapAndJvmArgsWin() throws Exception {
        String limited = "{\"name\":\"limited\",\"script\":\"" + JpmHarness.APPS.resolve("Stubborn.java")
                + "\",\"max_memory_restart\":\"300M\",\"jvm_args\":\"" + NO_HEAP_FLAG + "\"}";
        String explicit = "{\"name\":\"explicit\",\"script\":\"" + JpmHarness.APPS.resolve("Stubborn.java")
                + "\",\"max_memory_restart\":\"300M\",\"jvm_args\":\"" + JpmHarness.TEST_JVM_ARGS + "\"}";
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + limited + "," + explicit + "]}").toString()).expectOk();

        ProcessInfo half = jpm.describe("limited");
        ProcessInfo own = jpm.describe("explicit");

        assertThat(commandLine(half.pid())).contains("-Xmx150m");
        assertThat(jpm.jpm("describe", "limited").out()).contains("max heap  150m (half of max_memory_restart)");
        assertThat(commandLine(own.pid())).contains("-Xmx96m").filteredOn(arg -> arg.startsWith("-Xmx")).hasSize(1);
        assertThat(own.maxHeapSource()).isEqualTo("jvm_args");
    }
}
