package dev.clusterservers.forkserver;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the requests the master sheds with 503 and logs one summary line per
 * {@link #PERIOD}, never one line per request. Under overload a line per 503 is the worst
 * thing a server can do: it writes megabytes of log a second, on the very threads that are
 * already short of time, and buries the one line a person needs.
 */
final class Overload implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("master");
    /** How often a summary is logged, when there was anything to say. */
    static final Duration PERIOD = Duration.ofSeconds(1);

    /** Why a request was refused; each is counted on its own. */
    enum Why { EVERY_CHILD_FULL, NO_CHILD_READY }

    private final Map<Why, AtomicLong> counts = new EnumMap<>(Why.class);
    private final int maxInFlight;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "overload-summary");
        thread.setDaemon(true);
        return thread;
    });

    Overload(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        for (Why why : Why.values()) {
            counts.put(why, new AtomicLong());
        }
    }

    /** Starts the once-a-period summary. */
    Overload start() {
        timer.scheduleAtFixedRate(this::logSummary, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One request answered 503: counted, not logged. Called on HTTP threads; costs one atomic add. */
    void refused(Why why) {
        counts.get(why).incrementAndGet();
    }

    /** The summary of what was refused since the last one, and resets the counts; null if nothing was. */
    String takeSummary() {
        long total = 0;
        StringJoiner reasons = new StringJoiner("; ");
        for (Why why : Why.values()) {
            long n = counts.get(why).getAndSet(0);
            if (n > 0) {
                total += n;
                reasons.add(n + " " + describe(why));
            }
        }
        if (total == 0) {
            return null;
        }
        return "answered " + total + " × 503 in the last " + PERIOD.toSeconds() + " s (" + reasons + ")";
    }

    private String describe(Why why) {
        return switch (why) {
            case EVERY_CHILD_FULL -> "every child full, max-in-flight " + maxInFlight;
            case NO_CHILD_READY -> "no child ready";
        };
    }

    private void logSummary() {
        String summary = takeSummary();
        if (summary != null) {
            LOG.warn(summary);
        }
    }

    /** Logs what is left, so the last refusals before a stop are not lost. */
    @Override
    public void close() {
        timer.shutdownNow();
        logSummary();
    }
}
