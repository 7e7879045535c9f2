package dev.clusterservers.forkserver.policy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which child gets the next request. One small interface, one class per policy, like Node's
 * {@code round_robin_handle.js} and {@code shared_handle.js}: the master asks, the policy
 * answers, and nothing else in the master changes when the policy does.
 */
public interface Policy {
    /** What a policy may know about a child: how many requests it has not answered yet. */
    interface Candidate {
        int pending();
    }

    /**
     * Picks one of {@code candidates}: the children that are ready and below their in-flight
     * limit right now. Never called with an empty list. Called from many HTTP threads at once.
     */
    <C extends Candidate> C pick(List<C> candidates);

    /** The names {@code --policy} accepts, and the policy each one makes. */
    enum Name {
        RANDOM("random"), ROUND_ROBIN("round-robin"), LEAST_PENDING("least-pending");

        private final String flag;

        Name(String flag) {
            this.flag = flag;
        }

        public Policy create() {
            return switch (this) {
                case RANDOM -> new RandomPolicy();
                case ROUND_ROBIN -> new RoundRobinPolicy();
                case LEAST_PENDING -> new LeastPendingPolicy();
            };
        }

        public String flag() {
            return flag;
        }

        public static Name fromFlag(String flag) {
            for (Name name : values()) {
                if (name.flag.equals(flag)) {
                    return name;
                }
            }
            throw new IllegalArgumentException("unknown policy '" + flag + "'; expected one of " + flags());
        }

        public static String flags() {
            return Arrays.stream(values()).map(Name::flag).collect(Collectors.joining(", "));
        }

        @Override
        public String toString() {
            return flag;
        }
    }
}
