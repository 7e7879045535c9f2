package dev.clusterservers.processmanager.lifecycle;

import dev.clusterservers.processmanager.config.AppSpec;

/**
 * What to do when an instance's process exits on its own: PM2's rules.
 *
 * <p>A process that crashed is started again after an exponentially growing delay (100 ms,
 * 150 ms, 225 ms... times 1.5 each time, at most 15 s), so a crash loop does not burn the CPU
 * starting JVMs; once an instance has stayed up {@link #STABLE_AFTER_MS}, the delay starts
 * over. A restart is "unstable" if the process exited before it was ready, or less than
 * {@code min_uptime} after it became ready; after {@code max_restarts} unstable restarts in a
 * row the app is errored and left alone, since the next start would fail the same way.
 *
 * <p>The clock starts at ready, not at spawn: PM2 counts from spawn, and a Node process is up
 * in milliseconds, but a JVM can take longer than the default {@code min_uptime} (1 s) just to
 * start, so counted from spawn every crash at start-up would look stable and a crash loop would
 * never end.
 */
public final class RestartPolicy {
    static final double BACKOFF_FACTOR = 1.5;
    static final long MAX_BACKOFF_MS = 15_000;
    /** Up this long, an instance counts as healthy again: its back-off starts over. */
    static final long STABLE_AFTER_MS = 30_000;

    /** The decision for one exit. */
    public sealed interface Decision {
        record Restart(long delayMs) implements Decision { }

        record GiveUp(String why) implements Decision { }

        record StayStopped(String why) implements Decision { }
    }

    private final AppSpec spec;
    private long nextBackoffMs;
    private int unstableRestarts;

    public RestartPolicy(AppSpec spec) {
        this.spec = spec;
        this.nextBackoffMs = spec.expBackoffRestartDelayMs();
    }

    /**
     * @param wasReady       whether the process became ready (see {@code Supervisor#agentSaid})
     * @param readyForMs     how long it had been ready when it exited; ignored if it never was
     */
    public Decision onExit(boolean wasReady, long readyForMs) {
        if (!spec.autorestart()) {
            return new Decision.StayStopped("autorestart is off");
        }
        if (!wasReady || readyForMs < spec.minUptimeMs()) {
            if (unstableRestarts >= spec.maxRestarts()) {
                return new Decision.GiveUp(unstableRestarts + " restarts in a row, each before ready or less than"
                        + " min_uptime (" + spec.minUptimeMs() + " ms) after: max_restarts reached");
            }
            unstableRestarts++;
        } else {
            unstableRestarts = 0;
        }
        return new Decision.Restart(nextDelay());
    }

    private long nextDelay() {
        if (spec.expBackoffRestartDelayMs() <= 0) {
            return spec.restartDelayMs();
        }
        long delay = nextBackoffMs;
        nextBackoffMs = Math.min(MAX_BACKOFF_MS, Math.round(nextBackoffMs * BACKOFF_FACTOR));
        return delay;
    }

    /** Called while the instance runs; after {@link #STABLE_AFTER_MS} up, the back-off starts over. */
    public void onUptime(long uptimeMs) {
        if (uptimeMs >= STABLE_AFTER_MS) {
            nextBackoffMs = spec.expBackoffRestartDelayMs();
        }
    }

    /** Someone restarted or reloaded by hand: a fresh start, as after a clean run. */
    public void reset() {
        unstableRestarts = 0;
        nextBackoffMs = spec.expBackoffRestartDelayMs();
    }

    public int unstableRestarts() {
        return unstableRestarts;
    }
}
