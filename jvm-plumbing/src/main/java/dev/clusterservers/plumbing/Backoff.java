package dev.clusterservers.plumbing;

import java.time.Duration;

/**
 * When to replace a worker that died.
 *
 * <p>A worker that ran for a while and then died is replaced at once: that is a crash in
 * service, and capacity matters. A worker that dies soon after it started is probably
 * failing at start-up (a bad flag, a port it cannot bind), and replacing it at once would
 * spin the CPU starting JVMs; so each quick death doubles the wait, up to a ceiling.
 */
public final class Backoff {
    private final Duration minUptime;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private int quickDeaths;

    public Backoff(Duration minUptime, Duration initialDelay, Duration maxDelay) {
        this.minUptime = minUptime;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** The defaults the master uses: 5 s counts as started; 100 ms, 200 ms, ... up to 10 s. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    /** Records a death after {@code uptime} and returns how long to wait before the replacement. */
    public Duration nextDelay(Duration uptime) {
        if (uptime.compareTo(minUptime) >= 0) {
            quickDeaths = 0;
            return Duration.ZERO;
        }
        quickDeaths++;
        long factor = 1L << Math.min(quickDeaths - 1, 30);
        Duration delay = initialDelay.multipliedBy(factor);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** How long a worker must run for its death to be replaced at once. */
    public Duration minUptime() {
        return minUptime;
    }

    /** The longest a replacement waits. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** How many deaths in a row came soon after start. */
    public int quickDeaths() {
        return quickDeaths;
    }
}
