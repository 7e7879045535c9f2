package dev.clusterservers.plumbing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void aWorkerThatRanLongEnoughIsReplacedAtOnce() {
        assertThat(backoff.nextDelay(Duration.ofSeconds(30))).isZero();
    }

    @Test
    void eachQuickDeathInARowDoublesTheWaitUpToTheCeiling() {
        Duration quick = Duration.ofMillis(300);
        assertThat(backoff.nextDelay(quick)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.nextDelay(quick)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.nextDelay(quick)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.nextDelay(quick)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.nextDelay(quick)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.nextDelay(quick)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.quickDeaths()).isEqualTo(6);
    }

    @Test
    void aWorkerThatRanLongEnoughResetsTheBackoff() {
        backoff.nextDelay(Duration.ZERO);
        backoff.nextDelay(Duration.ZERO);
        assertThat(backoff.nextDelay(Duration.ofSeconds(5))).isZero();
        assertThat(backoff.quickDeaths()).isZero();
        assertThat(backoff.nextDelay(Duration.ZERO)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void manyQuickDeathsNeverOverflowTheDelay() {
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.nextDelay(Duration.ZERO)).isBetween(Duration.ofMillis(100), Duration.ofSeconds(1));
        }
    }
}
