package dev.clusterservers.processmanager.protocol;

/**
 * One number an app published with the metrics client ({@code io.Metrics}), as the daemon
 * last heard it.
 *
 * @param kind  counter, meter, mean or gauge
 * @param unit  shown after the value; may be empty
 * @param value null while the metric has none (a mean with no requests in its window)
 */
public record AppMetric(String name, String kind, String unit, Double value) { }
