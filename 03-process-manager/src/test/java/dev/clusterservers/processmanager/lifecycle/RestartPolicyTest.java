package dev.clusterservers.processmanager.lifecycle;

import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.config.ExecMode;
import dev.clusterservers.processmanager.config.Listen;
import dev.clusterservers.processmanager.config.Script;
import dev.clusterservers.processmanager.lifecycle.RestartPolicy.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class RestartPolicyTest {
    static final long QUICK = 10;
    static final long LONG = 60_000;

    static AppSpec app(boolean autorestart, int maxRestarts, long restartDelayMs, long expBackoffMs) {
        return new AppSpec("api", new Script(Script.Kind.JAR, "/api.jar", List.of()), List.of(), List.of(), Map.of(), "/",
                1, ExecMode.FORK, AppSpec.NO_PORT, autorestart, maxRestarts, 1_000, restartDelayMs, expBackoffMs,
                0, 5_000, 5_000, false, 30_000, Listen.SHARED);
    }

    static long delay(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Restart.class);
        return ((Decision.Restart) decision).delayMs();
    }

    @Test
    void aCrashLoopWaitsPm2sExponentialBackoffUpToFifteenSeconds() {
        RestartPolicy policy = new RestartPolicy(app(true, 100, 0, 100));
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            delays.add(delay(policy.onExit(true, LONG)));
        }

        assertThat(delays).startsWith(100L, 150L, 225L, 338L, 507L);
        assertThat(delays).isSorted();
        assertThat(delays.get(delays.size() - 1)).isEqualTo(15_000L);
    }

    @Test
    void thirtySecondsUpStartsTheBackoffOver() {
        RestartPolicy policy = new RestartPolicy(app(true, 100, 0, 100));
        policy.onExit(true, QUICK);
        policy.onExit(true, QUICK);

        policy.onUptime(RestartPolicy.STABLE_AFTER_MS);

        assertThat(delay(policy.onExit(true, LONG))).isEqualTo(100);
    }

    @Test
    void afterMaxRestartsUnstableRestartsTheAppIsErrored() {
        RestartPolicy policy = new RestartPolicy(app(true, 3, 0, 100));

        assertThat(policy.onExit(true, QUICK)).isInstanceOf(Decision.Restart.class);
        assertThat(policy.onExit(true, QUICK)).isInstanceOf(Decision.Restart.class);
        assertThat(policy.onExit(true, QUICK)).isInstanceOf(Decision.Restart.class);
        assertThat(policy.onExit(true, QUICK)).isInstanceOf(Decision.GiveUp.class);
    }

    @Test
    void aCrashAfterMinUptimeIsNotUnstableAndClearsTheCount() {
        RestartPolicy policy = new RestartPolicy(app(true, 2, 0, 100));
        policy.onExit(true, QUICK);
        policy.onExit(true, QUICK);

        policy.onExit(true, LONG);

        assertThat(policy.unstableRestarts()).isZero();
        assertThat(policy.onExit(true, QUICK)).isInstanceOf(Decision.Restart.class);
    }

    @Test
    void withoutExponentialBackoffTheFixedRestartDelayIsUsed() {
        RestartPolicy policy = new RestartPolicy(app(true, 16, 700, 0));

        assertThat(delay(policy.onExit(true, LONG))).isEqualTo(700);
        assertThat(delay(policy.onExit(true, LONG))).isEqualTo(700);
    }

    @Test
    void withAutorestartOffAnExitedInstanceStaysStopped() {
        RestartPolicy policy = new RestartPolicy(app(false, 16, 0, 100));

        assertThat(policy.onExit(true, LONG)).isInstanceOf(Decision.StayStopped.class);
    }

    @Test
    void aRestartByHandForgivesPastCrashes() {
        RestartPolicy policy = new RestartPolicy(app(true, 1, 0, 100));
        policy.onExit(true, QUICK);

        policy.reset();

        assertThat(policy.onExit(true, QUICK)).isInstanceOf(Decision.Restart.class);
    }

    @Test
    void anExitBeforeTheInstanceWasReadyIsUnstableHoweverLongTheJvmTookToStart() {
        RestartPolicy policy = new RestartPolicy(app(true, 2, 0, 100));
        policy.onExit(false, 0);
        policy.onExit(false, 0);
        assertThat(policy.unstableRestarts()).isEqualTo(2);
        assertThat(policy.onExit(false, 0)).isInstanceOf(Decision.GiveUp.class);
    }

    @Test
    void minUptimeCountsFromReadyNotFromSpawn() {
        RestartPolicy policy = new RestartPolicy(app(true, 5, 0, 100));
        policy.onExit(true, 999);
        assertThat(policy.unstableRestarts()).as("ready for less than min_uptime (1 s)").isEqualTo(1);
        policy.onExit(true, 1_000);
        assertThat(policy.unstableRestarts()).as("ready for min_uptime: stable").isZero();
    }
}
