package dev.clusterservers.processmanager.metrics;

import java.util.function.LongSupplier;

/**
 * Events of the last few whole seconds, one bucket per second: what a {@link Meter}'s rate
 * and a {@link Mean}'s average are computed from. Old buckets are reused, so memory stays
 * the same however long the app runs.
 *
 * <p>Only complete seconds count: the second in progress would make a rate jump down at the
 * start of every second and climb back up during it.
 */
final class SlidingWindow {
    /** What the complete seconds of the window hold. */
    record Totals(long count, double sum, long seconds) { }

    private final int seconds;
    private final LongSupplier nanoTime;
    private final long firstSecond;
    private final long[] secondOf;
    private final long[] counts;
    private final double[] sums;

    SlidingWindow(int seconds, LongSupplier nanoTime) {
        if (seconds < 1) {
            throw new IllegalArgumentException("a window needs at least one second, not " + seconds);
        }
        this.seconds = seconds;
        this.nanoTime = nanoTime;
        this.firstSecond = now();
        // One more slot than the window: the second in progress must not overwrite the oldest complete one.
        this.secondOf = new long[seconds + 1];
        this.counts = new long[seconds + 1];
        this.sums = new double[seconds + 1];
        java.util.Arrays.fill(secondOf, Long.MIN_VALUE);
    }

    synchronized void add(double value) {
        long second = now();
        int slot = (int) Math.floorMod(second, (long) secondOf.length);
        if (secondOf[slot] != second) {
            secondOf[slot] = second;
            counts[slot] = 0;
            sums[slot] = 0;
        }
        counts[slot]++;
        sums[slot] += value;
    }

    /** The last {@code seconds} complete seconds, or fewer while the window is younger than that. */
    synchronized Totals totals() {
        long now = now();
        long from = Math.max(firstSecond, now - seconds);
        long count = 0;
        double sum = 0;
        for (int slot = 0; slot < secondOf.length; slot++) {
            if (secondOf[slot] >= from && secondOf[slot] < now) {
                count += counts[slot];
                sum += sums[slot];
            }
        }
        return new Totals(count, sum, now - from);
    }

    private long now() {
        return Math.floorDiv(nanoTime.getAsLong(), 1_000_000_000L);
    }
}
