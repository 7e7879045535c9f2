package dev.clusterservers.processmanager.metrics;

/**
 * The mean of the values recorded over a sliding window of whole seconds, e.g. latency in
 * milliseconds: PM2's {@code io.histogram} with {@code measurement: 'mean'}. A window, not
 * a lifetime mean, so a slow start does not hide today's latency.
 */
public final class Mean implements Metric {
    private final SlidingWindow window;
    private final String unit;

    Mean(SlidingWindow window, String unit) {
        this.window = window;
        this.unit = unit;
    }

    public void update(double value) {
        window.add(value);
    }

    @Override
    public String kind() {
        return "mean";
    }

    @Override
    public String unit() {
        return unit;
    }

    /** NaN when nothing was recorded in the window: "no requests" is not "0 ms". */
    @Override
    public double value() {
        SlidingWindow.Totals totals = window.totals();
        return totals.count() == 0 ? Double.NaN : totals.sum() / totals.count();
    }
}
