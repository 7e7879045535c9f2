package dev.clusterservers.processmanager.metrics;

/**
 * Events per second over a sliding window of whole seconds: requests per second. PM2's
 * {@code io.meter}. {@link #mark()} costs a lock and two additions, cheap beside a request.
 */
public final class Meter implements Metric {
    private final SlidingWindow window;
    private final String unit;

    Meter(SlidingWindow window, String unit) {
        this.window = window;
        this.unit = unit;
    }

    /** One event happened now. */
    public void mark() {
        window.add(0);
    }

    @Override
    public String kind() {
        return "meter";
    }

    @Override
    public String unit() {
        return unit;
    }

    @Override
    public double value() {
        SlidingWindow.Totals totals = window.totals();
        return totals.seconds() == 0 ? 0 : (double) totals.count() / totals.seconds();
    }
}
