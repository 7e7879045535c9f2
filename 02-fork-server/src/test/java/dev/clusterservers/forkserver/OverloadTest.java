package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OverloadTest {
    @Test
    void aThousandRefusalsMakeOneSummaryThatCountsEachReason() {
        Overload overload = new Overload(128);
        for (int i = 0; i < 1000; i++) {
            overload.refused(i < 990 ? Overload.Why.EVERY_CHILD_FULL : Overload.Why.NO_CHILD_READY);
        }

        assertThat(overload.takeSummary()).isEqualTo("answered 1000 × 503 in the last 1 s "
                + "(990 every child full, max-in-flight 128; 10 no child ready)");
    }

    @Test
    void aPeriodWithoutRefusalsSaysNothingAndCountsStartAgainAfterEachSummary() {
        Overload overload = new Overload(2);
        assertThat(overload.takeSummary()).isNull();

        overload.refused(Overload.Why.EVERY_CHILD_FULL);
        assertThat(overload.takeSummary()).isEqualTo("answered 1 × 503 in the last 1 s (1 every child full, max-in-flight 2)");
        assertThat(overload.takeSummary()).isNull();
    }
}
