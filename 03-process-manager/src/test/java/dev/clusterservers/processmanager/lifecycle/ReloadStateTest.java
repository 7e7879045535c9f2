package dev.clusterservers.processmanager.lifecycle;

import dev.clusterservers.processmanager.lifecycle.ReloadState.Abort;
import dev.clusterservers.processmanager.lifecycle.ReloadState.Begin;
import dev.clusterservers.processmanager.lifecycle.ReloadState.CancelReplacement;
import dev.clusterservers.processmanager.lifecycle.ReloadState.Done;
import dev.clusterservers.processmanager.lifecycle.ReloadState.DrainingOld;
import dev.clusterservers.processmanager.lifecycle.ReloadState.Failed;
import dev.clusterservers.processmanager.lifecycle.ReloadState.Idle;
import dev.clusterservers.processmanager.lifecycle.ReloadState.NothingToReplace;
import dev.clusterservers.processmanager.lifecycle.ReloadState.OldExited;
import dev.clusterservers.processmanager.lifecycle.ReloadState.Replace;
import dev.clusterservers.processmanager.lifecycle.ReloadState.ReplacementFailed;
import dev.clusterservers.processmanager.lifecycle.ReloadState.Replacing;
import dev.clusterservers.processmanager.lifecycle.ReloadState.Step;
import dev.clusterservers.processmanager.lifecycle.ReloadState.TookOver;
import dev.clusterservers.processmanager.lifecycle.ReloadState.Trigger;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** A reload's steps, with names for instances and processes: nothing is started. */
class ReloadStateTest {
    private static final String FIRST = "instance 0";
    private static final String SECOND = "instance 1";
    private static final String OLD = "old process";

    private static Step<String, String> next(ReloadState<String, String> state, Trigger<String, String> trigger) {
        return ReloadState.next(state, trigger);
    }

    private static ReloadState<String, String> drainingFirst() {
        Step<String, String> begun = next(new Idle<>(), new Begin<>(List.of(FIRST, SECOND)));
        return next(begun.state(), new TookOver<>(FIRST, OLD)).state();
    }

    @Test
    void aReloadBeginsWithTheFirstInstanceAndLeavesTheOthersQueued() {
        Step<String, String> step = next(new Idle<>(), new Begin<>(List.of(FIRST, SECOND)));

        assertThat(step.state()).isEqualTo(new Replacing<>(FIRST, List.of(SECOND), 0));
        assertThat(step.effects()).containsExactly(new Replace<>(FIRST));
    }

    @Test
    void aReadyReplacementLetsTheOldProcessDrainBeforeTheNextInstance() {
        ReloadState<String, String> draining = drainingFirst();

        assertThat(draining).isEqualTo(new DrainingOld<>(FIRST, OLD, List.of(SECOND), 1));
        assertThat(next(draining, new NothingToReplace<>(SECOND)).state()).isEqualTo(draining);
    }

    @Test
    void whenTheOldProcessHasExitedTheNextInstanceIsReplaced() {
        Step<String, String> step = next(drainingFirst(), new OldExited<>(OLD));

        assertThat(step.state()).isEqualTo(new Replacing<>(SECOND, List.of(), 1));
        assertThat(step.effects()).containsExactly(new Replace<>(SECOND));
    }

    @Test
    void theExitOfAnotherProcessDoesNotMoveTheReloadOn() {
        ReloadState<String, String> draining = drainingFirst();

        assertThat(next(draining, new OldExited<>("a discarded replacement")).state()).isEqualTo(draining);
    }

    @Test
    void afterTheLastInstanceTheReloadIsDoneAndCountsWhatItReplaced() {
        Step<String, String> last = next(new Replacing<>(SECOND, List.of(), 1), new TookOver<>(SECOND, OLD));
        Step<String, String> step = next(last.state(), new OldExited<>(OLD));

        assertThat(step.state()).isEqualTo(new Done<>(2));
        assertThat(step.effects()).isEmpty();
    }

    @Test
    void anInstanceWithNothingToReplaceIsSkipped() {
        Step<String, String> step = next(new Replacing<>(FIRST, List.of(SECOND), 0), new NothingToReplace<>(FIRST));

        assertThat(step.state()).isEqualTo(new Replacing<>(SECOND, List.of(), 0));
        assertThat(step.effects()).containsExactly(new Replace<>(SECOND));
    }

    @Test
    void aFailedReplacementEndsTheReloadAndTheRestIsNotTouched() {
        Step<String, String> step = next(new Replacing<>(FIRST, List.of(SECOND), 0), new ReplacementFailed<>(FIRST, "exited"));

        assertThat(step.state()).isEqualTo(new Failed<>(FIRST, "exited"));
        assertThat(step.effects()).isEmpty();
    }

    @Test
    void anAbortCancelsAReplacementThatIsNotReadyYet() {
        Step<String, String> step = next(new Replacing<>(FIRST, List.of(SECOND), 0), new Abort<>("a stop was requested"));

        assertThat(step.state()).isEqualTo(new Failed<>(FIRST, "a stop was requested"));
        assertThat(step.effects()).containsExactly(new CancelReplacement<>(FIRST, "a stop was requested"));
    }

    @Test
    void anAbortWhileTheOldProcessDrainsHasNothingToCancel() {
        Step<String, String> step = next(drainingFirst(), new Abort<>("a stop was requested"));

        assertThat(step.state()).isEqualTo(new Failed<>(FIRST, "a stop was requested"));
        assertThat(step.effects()).isEmpty();
    }

    @Test
    void aFailureReportedTwiceEndsTheReloadOnce() {
        Step<String, String> aborted = next(new Replacing<>(FIRST, List.of(), 0), new Abort<>("a stop was requested"));
        Step<String, String> reported = next(aborted.state(), new ReplacementFailed<>(FIRST, "a stop was requested"));

        assertThat(reported.state()).isSameAs(aborted.state());
        assertThat(reported.effects()).isEmpty();
    }

    @Test
    void aSecondReloadWaitsForTheFirstAndMayFollowIt() {
        ReloadState<String, String> running = new Replacing<>(FIRST, List.of(), 0);
        assertThat(next(running, new Begin<>(List.of(SECOND))).state()).isSameAs(running);

        Step<String, String> again = next(new Failed<>(FIRST, "exited"), new Begin<>(List.of(SECOND)));
        assertThat(again.state()).isEqualTo(new Replacing<>(SECOND, List.of(), 0));
    }

    @Test
    void aReloadOfNothingIsDoneAtOnce() {
        Step<String, String> step = next(new Idle<>(), new Begin<>(List.of()));

        assertThat(step.state()).isEqualTo(new Done<>(0));
        assertThat(step.effects()).isEmpty();
    }

    @Test
    void everyTriggerHasATransition() {
        List<Trigger<String, String>> oneOfEach = List.of(new Begin<>(List.of()), new NothingToReplace<>(FIRST),
                new TookOver<>(FIRST, OLD), new OldExited<>(OLD), new ReplacementFailed<>(FIRST, "why"), new Abort<>("why"));
        assertThat(oneOfEach.stream().map(Object::getClass).toList())
                .containsExactlyInAnyOrder(Trigger.class.getPermittedSubclasses());

        for (Trigger<String, String> trigger : oneOfEach) {
            next(drainingFirst(), trigger);
            next(new Replacing<>(FIRST, List.of(), 0), trigger);
        }
    }
}
