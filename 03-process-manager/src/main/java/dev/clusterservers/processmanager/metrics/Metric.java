package dev.clusterservers.processmanager.metrics;

/**
 * One value an app publishes, under a name: the four kinds of PM2's {@code @pm2/io}.
 * The daemon keeps only the latest value of each, so every kind reports a number.
 */
public sealed interface Metric permits Counter, Meter, Mean, Gauge {
    /** {@code counter}, {@code meter}, {@code mean} or {@code gauge}: how to read the value. */
    String kind();

    /** Shown after the value, e.g. {@code req/s}; may be empty. */
    String unit();

    /** The value now; NaN when there is none yet. */
    double value();
}
