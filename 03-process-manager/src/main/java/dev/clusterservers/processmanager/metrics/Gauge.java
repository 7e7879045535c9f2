package dev.clusterservers.processmanager.metrics;

import java.util.function.DoubleSupplier;

/** A value read when it is published, e.g. a queue's length: PM2's {@code io.metric}. */
public final class Gauge implements Metric {
    private final DoubleSupplier supplier;
    private final String unit;

    Gauge(DoubleSupplier supplier, String unit) {
        this.supplier = supplier;
        this.unit = unit;
    }

    @Override
    public String kind() {
        return "gauge";
    }

    @Override
    public String unit() {
        return unit;
    }

    @Override
    public double value() {
        return supplier.getAsDouble();
    }
}
