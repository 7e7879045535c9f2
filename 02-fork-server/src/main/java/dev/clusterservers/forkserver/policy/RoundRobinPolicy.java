package dev.clusterservers.forkserver.policy;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Node's default: each child in turn. One shared counter, bumped atomically, so two HTTP
 * threads never get the same turn. Fair in count, blind to cost: a child busy with a long
 * request still gets its turn.
 */
public final class RoundRobinPolicy implements Policy {
    private final AtomicLong turn = new AtomicLong();

    @Override
    public <C extends Candidate> C pick(List<C> candidates) {
        return candidates.get((int) Math.floorMod(turn.getAndIncrement(), (long) candidates.size()));
    }
}
