package dev.clusterservers.forkserver.policy;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The original tutorial's choice: any child, at random. No shared state, so no contention
 * between HTTP threads; over many requests the load evens out, but a short burst can land
 * on one child while another idles.
 */
public final class RandomPolicy implements Policy {
    private final Supplier<Random> random;

    public RandomPolicy() {
        this(ThreadLocalRandom::current);
    }

    /** With a given source of randomness, so a test can repeat a run. */
    RandomPolicy(Supplier<Random> random) {
        this.random = random;
    }

    @Override
    public <C extends Candidate> C pick(List<C> candidates) {
        return candidates.get(random.get().nextInt(candidates.size()));
    }
}
