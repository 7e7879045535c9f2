package dev.clusterservers.processmanager.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterservers.processmanager.protocol.ProcessInfo;
import dev.clusterservers.processmanager.protocol.ProcessInfo.RestartRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scale, stop, delete, kill, and the restart policy, with real processes. */
@Timeout(180)
class LifecycleIT extends JpmInAPrivateHome {

    static Set<Long> pids(List<ProcessInfo> list) {
        return list.stream().map(ProcessInfo::pid).collect(Collectors.toSet());
    }

    @Test
    void scaleStartsNewInstancesAndStopsTheExtraOnes() throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(1, port, "") + "]}").toString()).expectOk();

        jpm.jpm("scale", "api", "+1").expectOk();
        List<ProcessInfo> two = jpm.list();
        jpm.jpm("scale", "api", "1").expectOk();
        List<ProcessInfo> one = jpm.list();

        assertThat(two).hasSize(2).allSatisfy(p -> assertThat(p.status()).isEqualTo("online"));
        assertThat(one).hasSize(1);
        long removed = two.get(1).pid();
        assertThat(ProcessHandle.of(removed)).as("the scaled-down process has exited").isEmpty();
        assertThat(one.get(0).pid()).isEqualTo(two.get(0).pid());
        assertThat(JpmHarness.get(port, "/")).contains("PID:" + one.get(0).pid());
    }

    @Test
    void stopThenDeleteThenKillLeaveNoProcessBehind() throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(2, port, "") + "]}").toString()).expectOk();
        Set<Long> apps = pids(jpm.list());
        long daemon = jpm.processes().stream().filter(pid -> !apps.contains(pid)).findFirst().orElseThrow();

        jpm.jpm("stop", "api").expectOk();
        assertThat(jpm.list()).hasSize(2).allSatisfy(p -> assertThat(p.status()).isEqualTo("stopped"));
        assertThat(jpm.processes()).as("only the daemon after stop").containsExactly(daemon);

        jpm.jpm("delete", "api").expectOk();
        assertThat(jpm.list()).isEmpty();

        jpm.jpm("kill").expectOk();
        assertThat(jpm.processes()).as("nothing after kill").isEmpty();
        assertThat(jpm.home.controlSocket()).doesNotExist();
    }

    @Test
    void killStopsRunningAppsAndTheDaemon() throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(2, port, "") + "]}").toString()).expectOk();
        assertThat(jpm.processes()).hasSize(3);

        JpmHarness.Result kill = jpm.jpm("kill").expectOk();

        assertThat(kill.out()).contains("all its apps stopped");
        assertThat(jpm.processes()).isEmpty();
    }

    @Test
    void anAppThatCrashesAtStartIsErroredAfterMaxRestartsWithGrowingDelays() throws Exception {
        Path crash = JpmHarness.APPS.resolve("Crash.java");
        String app = "{\"script\":\"" + crash + "\",\"max_restarts\":3,\"min_uptime\":\"10s\",\"jvm_args\":\""
                + JpmHarness.TEST_JVM_ARGS + "\"}";
        assertThat(jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + app + "]}").toString()).code()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(jpm.describe("Crash").status()).isEqualTo("errored"));

        ProcessInfo crashed = jpm.describe("Crash");
        assertThat(crashed.restarts()).isEqualTo(3);
        List<RestartRecord> history = crashed.history();
        assertThat(history).extracting(RestartRecord::delayMs).containsExactly(100L, 150L, 225L);
        assertThat(history).allSatisfy(r -> assertThat(r.exit()).isEqualTo("exit code 3"));
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).atEpochMs() - history.get(i - 1).atEpochMs())
                    .as("attempt %d came at least its back-off delay after the one before", i)
                    .isGreaterThanOrEqualTo(history.get(i - 1).delayMs());
        }
        assertThat(jpm.daemonLog()).contains("errored: 3 restarts in a row");
        assertThat(jpm.processes()).as("only the daemon: an errored app is left alone").hasSize(1);
    }

    @Test
    void anAppThatIgnoresSigtermIsKilledAfterKillTimeout() throws Exception {
        Path stubborn = JpmHarness.APPS.resolve("Stubborn.java");
        String app = "{\"script\":\"" + stubborn + "\",\"kill_timeout\":1500,\"jvm_args\":\"" + JpmHarness.TEST_JVM_ARGS + "\"}";
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + app + "]}").toString()).expectOk();
        await().atMost(Duration.ofSeconds(30)).until(() -> jpm.home.outLog("Stubborn", 0).toFile().length() > 0);
        long pid = jpm.list().get(0).pid();

        jpm.jpm("stop", "Stubborn").expectOk();

        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(jpm.daemonLog()).contains("still running after kill_timeout; SIGKILL");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                java.nio.file.Files.readString(jpm.home.outLog("Stubborn", 0))).contains("Stubborn: ignoring SIGTERM"));
        assertThat(jpm.describe("Stubborn").status()).isEqualTo("stopped");
    }

    @Test
    void anInstanceOverMaxMemoryRestartIsReplacedByAGracefulReload() throws Exception {
        String limits = ",\"max_memory_restart\":\"1M\",\"memory_check_interval\":500";
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(1, port, limits) + "]}").toString()).expectOk();
        long first = jpm.list().get(0).pid();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ProcessInfo now = jpm.describe("api");
            assertThat(now.pid()).isNotEqualTo(first);
            assertThat(now.history()).first().satisfies(r -> assertThat(r.exit()).startsWith("max_memory_restart"));
        });
        assertThat(jpm.daemonLog()).contains("over max_memory_restart (1 MiB); reloading it");
    }

    @Test
    void savedAppsComeBackWithResurrectAfterKill() throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(2, port, "") + "]}").toString()).expectOk();
        jpm.jpm("save").expectOk();
        jpm.jpm("kill").expectOk();
        assertThat(jpm.processes()).isEmpty();

        jpm.jpm("resurrect").expectOk();

        assertThat(jpm.list()).hasSize(2).allSatisfy(p -> assertThat(p.status()).isEqualTo("online"));
        assertThat(JpmHarness.get(port, "/")).startsWith("Hello from worker");
    }

    @Test
    void startWaitsForAnAppThatCrashesAtOnceAndSaysItDidNotComeUp() throws Exception {
        Path crash = JpmHarness.APPS.resolve("Crash.java");
        String app = "{\"script\":\"" + crash + "\",\"max_restarts\":0,\"jvm_args\":\"" + JpmHarness.TEST_JVM_ARGS + "\"}";

        JpmHarness.Result start = jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + app + "]}").toString());

        assertThat(start.code()).isEqualTo(1);
        assertThat(start.out()).startsWith("[jpm] starting Crash: 1 instance; waiting up to 60 s for it to be ready\n")
                .contains("[jpm] started Crash", "│ errored │");
        assertThat(start.err()).isEqualTo("[jpm] Crash 0 did not come up: errored; see jpm logs Crash\n");
    }

    @Test
    void anAppSavedWhileErroredIsStartedAfreshByResurrectAndSaveAndResurrectSaySo() throws Exception {
        Path crash = JpmHarness.APPS.resolve("Crash.java");
        String app = "{\"script\":\"" + crash + "\",\"max_restarts\":0,\"jvm_args\":\"" + JpmHarness.TEST_JVM_ARGS + "\"}";
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + app + "]}").toString());
        assertThat(jpm.describe("Crash").status()).isEqualTo("errored");

        JpmHarness.Result save = jpm.jpm("save").expectOk();
        jpm.jpm("kill").expectOk();
        JpmHarness.Result resurrect = jpm.jpm("resurrect").expectOk();

        assertThat(save.out()).contains("; Crash errored now: resurrect starts it again, as it does every saved app"
                + " (the dump keeps what to run, not how it ended)");
        assertThat(resurrect.out()).contains("[jpm] resurrected Crash (each afresh, whatever its state when saved)");
        assertThat(jpm.daemonLog()).as("one start before the save, one by resurrect").containsPattern(
                "(?s)Crash 0: started, PID \\d+.*Crash 0: started, PID \\d+");
    }
}
