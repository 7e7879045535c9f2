package dev.clusterservers.processmanager.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * PM2's {@code @pm2/io} for Java: an app publishes its own numbers (requests served,
 * requests per second, latency) and {@code jpm describe} and {@code jpm monit} show them.
 *
 * <pre>{@code
 * Counter requests = Metrics.counter("requests");
 * Meter rate = Metrics.meter("throughput", "req/s");
 * Mean latency = Metrics.mean("latency", "ms");
 * }</pre>
 *
 * <p>Asking twice for the same name gives the same metric. Under jpm, the values go to the
 * daemon once a second over the instance's existing control link (see {@link Publisher});
 * anywhere else, nothing is sent and nothing is started: the calls only count.
 */
public final class Metrics {
    /** Meters and means look at this many whole seconds: long enough to smooth, short enough to follow a change. */
    public static final int WINDOW_SECONDS = 10;

    private static final Map<String, Metric> REGISTERED = new LinkedHashMap<>();

    private Metrics() {
    }

    public static Counter counter(String name) {
        return register(name, Counter.class, n -> new Counter());
    }

    public static Meter meter(String name, String unit) {
        return register(name, Meter.class, n -> new Meter(new SlidingWindow(WINDOW_SECONDS, System::nanoTime), unit));
    }

    public static Mean mean(String name, String unit) {
        return register(name, Mean.class, n -> new Mean(new SlidingWindow(WINDOW_SECONDS, System::nanoTime), unit));
    }

    public static Gauge gauge(String name, String unit, DoubleSupplier value) {
        return register(name, Gauge.class, n -> new Gauge(value, unit));
    }

    /** Every metric, in the order they were first asked for. */
    static synchronized Map<String, Metric> all() {
        return new LinkedHashMap<>(REGISTERED);
    }

    private static synchronized <M extends Metric> M register(String name, Class<M> kind, Function<String, M> create) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a metric needs a name");
        }
        Metric existing = REGISTERED.computeIfAbsent(name, create);
        if (!kind.isInstance(existing)) {
            throw new IllegalArgumentException("metric '" + name + "' is already a " + existing.kind() + ", not a "
                    + kind.getSimpleName().toLowerCase(java.util.Locale.ROOT));
        }
        Publisher.startIfUnderJpm();
        return kind.cast(existing);
    }
}
