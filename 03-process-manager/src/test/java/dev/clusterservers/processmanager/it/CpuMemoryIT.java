package dev.clusterservers.processmanager.it;

import dev.clusterservers.processmanager.proc.ProcStats;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * jpm's CPU and memory figures agree with {@code ps -o %cpu,rss} for a process whose load is
 * steady: a busy one and an idle one. (For a process whose load changes they differ on
 * purpose: ps averages over the whole life, jpm over the last second; see the README.)
 */
@Timeout(120)
class CpuMemoryIT {
    /** Percentage points: two readings of a steady process a moment apart, on a machine others share. */
    static final double CPU_TOLERANCE = 15;
    /** Clearly busy, even while other builds share the two cores (a busy loop gets 70-100% of one). */
    static final double BUSY_AT_LEAST = 30;
    static final Duration STEADY_WITHIN = Duration.ofSeconds(40);

    @TempDir
    Path dir;
    JpmHarness jpm;
    Process busy;
    Process idle;

    record Ps(double cpuPercent, long rssBytes) { }

    static Ps ps(long pid) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("ps", "-o", "%cpu=,rss=", "-p", Long.toString(pid)).start();
        String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        ps.waitFor();
        String[] fields = out.split("\\s+");
        return new Ps(Double.parseDouble(fields[0]), Long.parseLong(fields[1]) * 1024);
    }

    @AfterEach
    void stopEverything() {
        if (busy != null) {
            busy.destroyForcibly();
        }
        if (idle != null) {
            idle.destroyForcibly();
        }
        if (jpm != null) {
            jpm.close();
        }
    }

    @Test
    void aBusyLoopAndASleepingProcessMeasureAsPsMeasuresThem() throws Exception {
        busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        idle = new ProcessBuilder("sleep", "300").start();
        ProcStats stats = new ProcStats();

        await().atMost(STEADY_WITHIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            // The daemon samples once a second; so does this loop.
            stats.sample(busy.pid());
            stats.sample(idle.pid());
            Ps busyPs = ps(busy.pid());
            Ps idlePs = ps(idle.pid());

            assertThat(stats.cpuPercent(busy.pid())).isGreaterThanOrEqualTo(BUSY_AT_LEAST)
                    .isCloseTo(busyPs.cpuPercent(), within(CPU_TOLERANCE));
            assertThat(stats.cpuPercent(idle.pid())).isZero();
            assertThat(idlePs.cpuPercent()).isLessThan(1);
            assertThat(ProcStats.residentBytes(busy.pid())).isEqualTo(busyPs.rssBytes());
            assertThat(ProcStats.residentBytes(idle.pid())).isEqualTo(idlePs.rssBytes());
        });
    }

    @Test
    void aSpinningJvmUnderJpmShowsTheSameCpuAndMemoryInListDescribeAndPs() throws Exception {
        jpm = new JpmHarness(dir);
        String app = "{\"script\":\"" + JpmHarness.APPS.resolve("Spin.java") + "\",\"jvm_args\":\"" + JpmHarness.TEST_JVM_ARGS + "\"}";
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + app + "]}").toString()).expectOk();

        await().atMost(STEADY_WITHIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            ProcessInfo described = jpm.describe("Spin");
            ProcessInfo listed = jpm.list().get(0);
            Ps ps = ps(described.pid());

            assertThat(described.cpuPercent()).isGreaterThanOrEqualTo(BUSY_AT_LEAST)
                    .isCloseTo(ps.cpuPercent(), within(CPU_TOLERANCE));
            assertThat(listed.cpuPercent()).as("list and describe read the same sample").isEqualTo(described.cpuPercent());
            // A JVM's heap moves a little between two reads; a different definition would be off by far more.
            assertThat((double) described.memoryBytes()).isCloseTo(ps.rssBytes(), within(ps.rssBytes() * 0.05));
        });
    }
}
