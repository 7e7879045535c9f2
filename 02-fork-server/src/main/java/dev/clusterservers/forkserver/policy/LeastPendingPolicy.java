package dev.clusterservers.forkserver.policy;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child with the fewest requests still unanswered, which the master knows exactly
 * from its pending table. A child stuck on slow work stops getting more until it catches
 * up. Ties go to the next child in turn, so an idle cluster is still spread evenly rather
 * than always the first child.
 */
public final class LeastPendingPolicy implements Policy {
    private final AtomicLong turn = new AtomicLong();

    @Override
    public <C extends Candidate> C pick(List<C> candidates) {
        int size = candidates.size();
        int start = (int) Math.floorMod(turn.getAndIncrement(), (long) size);
        C best = candidates.get(start);
        for (int i = 1; i < size; i++) {
            C next = candidates.get((start + i) % size);
            if (next.pending() < best.pending()) {
                best = next;
            }
        }
        return best;
    }
}
