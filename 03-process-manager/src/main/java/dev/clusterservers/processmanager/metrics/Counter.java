package dev.clusterservers.processmanager.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A count that only the app moves: requests served, jobs in a queue. PM2's {@code io.counter}. */
public final class Counter implements Metric {
    private final LongAdder count = new LongAdder();

    Counter() {
    }

    public void inc() {
        count.increment();
    }

    public void inc(long n) {
        count.add(n);
    }

    public void dec() {
        count.decrement();
    }

    @Override
    public String kind() {
        return "counter";
    }

    @Override
    public String unit() {
        return "";
    }

    @Override
    public double value() {
        return count.sum();
    }
}
