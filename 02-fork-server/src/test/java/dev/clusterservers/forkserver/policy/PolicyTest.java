package dev.clusterservers.forkserver.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PolicyTest {
    /** A child as a policy sees it: a name and a number of pending requests. */
    record Child(String name, int pending) implements Policy.Candidate {
    }

    static final List<Child> IDLE = List.of(new Child("a", 0), new Child("b", 0), new Child("c", 0), new Child("d", 0));

    @Test
    void randomSpreadsRequestsOverEveryChild() {
        Random seeded = new Random(7); // the same run every time: this test cannot flake
        Map<String, Integer> counts = count(new RandomPolicy(() -> seeded), IDLE, 10_000);

        assertThat(counts).containsOnlyKeys("a", "b", "c", "d");
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(2_250, 2_750));
    }

    @Test
    void roundRobinCyclesThroughTheChildrenInOrder() {
        Policy roundRobin = new RoundRobinPolicy();

        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            picks.add(roundRobin.pick(IDLE.subList(0, 3)).name());
        }

        assertThat(picks).containsExactly("a", "b", "c", "a", "b", "c", "a", "b", "c");
    }

    @Test
    void leastPendingPicksTheLeastBusyChild() {
        List<Child> busy = List.of(new Child("a", 5), new Child("b", 2), new Child("c", 9), new Child("d", 3));
        Policy leastPending = new LeastPendingPolicy();

        for (int i = 0; i < 8; i++) {
            assertThat(leastPending.pick(busy).name()).isEqualTo("b");
        }
    }

    @Test
    void leastPendingTakesTurnsAmongChildrenEquallyIdle() {
        Map<String, Integer> counts = count(new LeastPendingPolicy(), IDLE, 400);

        assertThat(counts).containsOnly(Map.entry("a", 100), Map.entry("b", 100), Map.entry("c", 100), Map.entry("d", 100));
    }

    @Test
    void everyFlagNamesAPolicyAndAnUnknownFlagListsTheKnownOnes() {
        assertThat(Policy.Name.fromFlag("random").create()).isInstanceOf(RandomPolicy.class);
        assertThat(Policy.Name.fromFlag("round-robin").create()).isInstanceOf(RoundRobinPolicy.class);
        assertThat(Policy.Name.fromFlag("least-pending").create()).isInstanceOf(LeastPendingPolicy.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Policy.Name.fromFlag("fastest"))
                .hasMessageContaining("random, round-robin, least-pending");
    }

    private static Map<String, Integer> count(Policy policy, List<Child> children, int picks) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(policy.pick(children).name(), 1, Integer::sum);
        }
        return counts;
    }
}
