package dev.clusterservers.shareports.visits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts in this JVM's heap. Correct for one process: {@code merge} on a
 * {@link ConcurrentHashMap} is atomic per key, so concurrent requests lose no visit.
 *
 * <p>Wrong for a cluster, and that is the lesson: each worker is its own JVM with its own
 * heap, hence its own map. A session's next request goes to whichever worker gets the
 * connection, and that worker knows only the visits it served itself. Node's tutorial ends
 * on exactly this warning: a clustered app must keep no state in the process.
 */
public final class MemoryVisitStore implements VisitStore {
    public static final String NAME = "memory";

    private final ConcurrentMap<String, Long> visits = new ConcurrentHashMap<>();

    @Override
    public long countVisit(String session) {
        return visits.merge(session, 1L, Long::sum);
    }

    @Override
    public String describe() {
        return NAME;
    }

    @Override
    public void close() {
        visits.clear();
    }
}
