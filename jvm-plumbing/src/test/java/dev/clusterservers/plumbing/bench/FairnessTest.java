package dev.clusterservers.plumbing.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FairnessTest {
    @Test
    void anEvenSpreadScoresOne() {
        assertThat(Fairness.jainIndex(List.of(100L, 100L, 100L, 100L))).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void oneWorkerServingEverythingScoresOneOverN() {
        assertThat(Fairness.jainIndex(List.of(400L, 0L, 0L, 0L))).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void anUnevenSpreadScoresInBetween() {
        assertThat(Fairness.jainIndex(List.of(300L, 100L))).isCloseTo(0.8, within(1e-9));
    }
}
