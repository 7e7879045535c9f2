package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LivenessTest {
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void aTimeoutWithNothingAnsweredSinceTheRequestWasSentTakesTheChildOutOfRotation() {
        Liveness state = Liveness.ANSWERING.requestTimedOut(10 * SECOND, 9 * SECOND, 15 * SECOND);

        assertThat(state).isEqualTo(new Liveness.Silent(15 * SECOND));
        assertThat(state.inRotation()).isFalse();
    }

    @Test
    void aTimeoutWhileTheChildAnsweredOtherRequestsIsOneSlowRequestAndChangesNothing() {
        Liveness state = Liveness.ANSWERING.requestTimedOut(10 * SECOND, 12 * SECOND, 15 * SECOND);

        assertThat(state).isSameAs(Liveness.ANSWERING);
        assertThat(state.inRotation()).isTrue();
    }

    @Test
    void anyAnswerBringsASilentChildBackIntoRotation() {
        assertThat(new Liveness.Silent(15 * SECOND).answered()).isSameAs(Liveness.ANSWERING);
    }

    @Test
    void moreTimeoutsOfASilentChildDoNotRestartItsSilence() {
        Liveness silent = new Liveness.Silent(15 * SECOND);

        assertThat(silent.requestTimedOut(11 * SECOND, 9 * SECOND, 16 * SECOND)).isSameAs(silent);
    }

    @Test
    void aChildStillSilentAGraceAfterItLeftRotationIsRecycled() {
        Liveness silent = new Liveness.Silent(15 * SECOND);

        assertThat(silent.checkedAt(20 * SECOND, GRACE)).isSameAs(Liveness.RECYCLED);
    }

    @Test
    void aCheckThatComesBeforeTheGraceIsOverWaits() {
        Liveness silent = new Liveness.Silent(15 * SECOND);

        assertThat(silent.checkedAt(19 * SECOND, GRACE)).isSameAs(silent);
    }

    @Test
    void aCheckFindsNothingToDoForAChildThatAnsweredMeanwhile() {
        assertThat(Liveness.ANSWERING.checkedAt(20 * SECOND, GRACE)).isSameAs(Liveness.ANSWERING);
    }

    @Test
    void aRecycledChildStaysRecycledWhateverArrivesLate() {
        assertThat(Liveness.RECYCLED.answered()).isSameAs(Liveness.RECYCLED);
        assertThat(Liveness.RECYCLED.requestTimedOut(1, 0, 2)).isSameAs(Liveness.RECYCLED);
        assertThat(Liveness.RECYCLED.inRotation()).isFalse();
    }

    @Test
    void timesCompareByDifferenceSoAClockThatWrapsPastLongMaxStillWorks() {
        long sentAt = Long.MAX_VALUE - SECOND;
        long now = sentAt + 5 * SECOND; // wrapped to a negative number

        assertThat(Liveness.ANSWERING.requestTimedOut(sentAt, sentAt - SECOND, now)).isEqualTo(new Liveness.Silent(now));
        assertThat(new Liveness.Silent(now).checkedAt(now + GRACE.toNanos(), GRACE)).isSameAs(Liveness.RECYCLED);
    }
}
