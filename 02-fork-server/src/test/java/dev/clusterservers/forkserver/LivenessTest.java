package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LivenessTest {
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void a_timeout_with_nothing_answered_since_the_request_was_sent_takes_the_child_out_of_rotation() {
        Liveness state = Liveness.ANSWERING.requestTimedOut(10 * SECOND, 9 * SECOND, 15 * SECOND);

        assertThat(state).isEqualTo(new Liveness.Silent(15 * SECOND));
        assertThat(state.inRotation()).isFalse();
    }

    @Test
    void a_timeout_while_the_child_answered_other_requests_is_one_slow_request_and_changes_nothing() {
        Liveness state = Liveness.ANSWERING.requestTimedOut(10 * SECOND, 12 * SECOND, 15 * SECOND);

        assertThat(state).isSameAs(Liveness.ANSWERING);
        assertThat(state.inRotation()).isTrue();
    }

    @Test
    void any_answer_brings_a_silent_child_back_into_rotation() {
        assertThat(new Liveness.Silent(15 * SECOND).answered()).isSameAs(Liveness.ANSWERING);
    }

    @Test
    void more_timeouts_of_a_silent_child_do_not_restart_its_silence() {
        Liveness silent = new Liveness.Silent(15 * SECOND);

        assertThat(silent.requestTimedOut(11 * SECOND, 9 * SECOND, 16 * SECOND)).isSameAs(silent);
    }

    @Test
    void a_child_still_silent_a_grace_after_it_left_rotation_is_recycled() {
        Liveness silent = new Liveness.Silent(15 * SECOND);

        assertThat(silent.checkedAt(20 * SECOND, GRACE)).isSameAs(Liveness.RECYCLED);
    }

    @Test
    void a_check_that_comes_before_the_grace_is_over_waits() {
        Liveness silent = new Liveness.Silent(15 * SECOND);

        assertThat(silent.checkedAt(19 * SECOND, GRACE)).isSameAs(silent);
    }

    @Test
    void a_check_finds_nothing_to_do_for_a_child_that_answered_meanwhile() {
        assertThat(Liveness.ANSWERING.checkedAt(20 * SECOND, GRACE)).isSameAs(Liveness.ANSWERING);
    }

    @Test
    void a_recycled_child_stays_recycled_whatever_arrives_late() {
        assertThat(Liveness.RECYCLED.answered()).isSameAs(Liveness.RECYCLED);
        assertThat(Liveness.RECYCLED.requestTimedOut(1, 0, 2)).isSameAs(Liveness.RECYCLED);
        assertThat(Liveness.RECYCLED.inRotation()).isFalse();
    }

    @Test
    void times_compare_by_difference_so_a_clock_that_wraps_past_long_max_still_works() {
        long sentAt = Long.MAX_VALUE - SECOND;
        long now = sentAt + 5 * SECOND; // wrapped to a negative number

        assertThat(Liveness.ANSWERING.requestTimedOut(sentAt, sentAt - SECOND, now)).isEqualTo(new Liveness.Silent(now));
        assertThat(new Liveness.Silent(now).checkedAt(now + GRACE.toNanos(), GRACE)).isSameAs(Liveness.RECYCLED);
    }
}
