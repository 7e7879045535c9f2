package dev.clusterservers.processmanager.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JVM needs longer than the default {@code min_uptime} (1 s) just to start, so min_uptime
 * counts from ready, and an exit before ready is unstable: a crash loop ends in {@code errored}
 * with the defaults (16 restarts, back-off up to 15 s: about 85 s of waiting).
 */
@Timeout(300)
class CrashLoopIT extends JpmInAPrivateHome {
    @Test
    void anAppThatCrashesAtStartReachesErroredWithTheDefaultSettings() throws Exception {
        Path crash = JpmHarness.APPS.resolve("Crash.java");
        String app = "{\"script\":\"" + crash + "\",\"jvm_args\":\"" + JpmHarness.TEST_JVM_ARGS + "\"}";
        JpmHarness.Result start = jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + app + "]}").toString());

        assertThat(start.code()).as("start says the instance did not come up").isEqualTo(1);
        assertThat(start.err()).contains("[jpm] Crash 0 did not come up: it exited (exit code 3); jpm starts it again");

        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(jpm.describe("Crash").status()).isEqualTo("errored"));

        ProcessInfo crashed = jpm.describe("Crash");
        assertThat(crashed.restarts()).as("the default max_restarts").isEqualTo(16);
        assertThat(jpm.daemonLog()).contains("errored: 16 restarts in a row");
        assertThat(jpm.processes()).as("only the daemon: an errored app is left alone").hasSize(1);
    }
}
