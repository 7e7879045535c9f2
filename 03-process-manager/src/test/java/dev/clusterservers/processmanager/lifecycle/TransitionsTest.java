package dev.clusterservers.processmanager.lifecycle;

import dev.clusterservers.processmanager.lifecycle.Action.Step;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Errored;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.LaunchRequested;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Launching;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Online;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Reloading;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Removed;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Replacing;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Retiring;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Stopped;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Stopping;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Then;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.WaitingRestart;
import dev.clusterservers.processmanager.lifecycle.RestartPolicy.Decision;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** The lifecycle's transitions, with names for processes: nothing is started. */
class TransitionsTest {
    private static final String OLD = "old";
    private static final String NEW = "new";
    /** An exit we asked for, or of a replacement, must not count against the restart policy. */
    private static final Supplier<Decision> NOT_ASKED = () -> {
        throw new AssertionError("the restart policy was asked about an exit that is no crash");
    };

    private static Step<String> next(Lifecycle<String> state, Input<String> input) {
        return Transitions.next(state, input);
    }

    private static Input<String> exited(String process, Supplier<Decision> policy) {
        return new Input.Exited<>(process, "exit code 1", policy);
    }

    private static Step<String> reloadingOld() {
        Step<String> replacing = next(new Online<>(OLD), new Input.ReloadBegin<>());
        assertThat(replacing.state()).isEqualTo(new Replacing<>(new Online<>(OLD)));
        assertThat(replacing.actions()).containsExactly(new Action.Launch<>());
        return next(replacing.state(), new Input.Spawned<>(NEW));
    }

    @Test
    void aReplacementThatExitsAbortsTheReloadAndTheOldProcessKeepsServing() {
        Step<String> reloading = reloadingOld();
        assertThat(reloading.state()).isEqualTo(new Reloading<>(new Online<>(OLD), NEW));

        Step<String> step = next(reloading.state(), exited(NEW, NOT_ASKED));

        assertThat(step.state()).isEqualTo(new Online<>(OLD));
        assertThat(step.actions()).hasSize(1).first().isInstanceOf(Action.ReloadFailed.class);
        assertThat(((Action.ReloadFailed<String>) step.actions().get(0)).why()).contains("replacement new exited", "before it was ready");
    }

    @Test
    void aReplacementNotReadyInTimeIsKilledAndTheOldProcessKeepsServing() {
        Step<String> step = next(reloadingOld().state(), new Input.ReadyTimeout<>(NEW, "not ready within listen_timeout"));

        assertThat(step.state()).isEqualTo(new Online<>(OLD));
        assertThat(step.actions()).containsExactly(new Action.Discard<>(NEW), new Action.ReloadFailed<>("not ready within listen_timeout"));
    }

    @Test
    void aReadyReplacementTakesOverAndTheOldOneDrains() {
        Step<String> step = next(reloadingOld().state(), new Input.Ready<>(NEW));

        assertThat(step.state()).isEqualTo(new Online<>(NEW));
        assertThat(step.actions()).containsExactly(new Action.CountRestart<>(), new Action.Drain<>(OLD, NEW));
        assertThat(Lifecycle.status(step.state())).isEqualTo(Status.ONLINE);
    }

    @Test
    void duringAReloadTheListShowsTheOldProcess() {
        Lifecycle<String> reloading = reloadingOld().state();

        assertThat(Lifecycle.process(reloading)).isEqualTo(OLD);
        assertThat(Lifecycle.status(reloading)).isEqualTo(Status.ONLINE);
        assertThat(Lifecycle.status(new Reloading<>(new Launching<>(OLD), NEW))).isEqualTo(Status.LAUNCHING);
    }

    @Test
    void anOldProcessStillLaunchingGoesOnlineBesideItsReplacement() {
        Reloading<String> reloading = new Reloading<>(new Launching<>(OLD), NEW);

        Step<String> ready = next(reloading, new Input.Ready<>(OLD));
        Step<String> late = next(reloading, new Input.ReadyTimeout<>(OLD, "late"));

        assertThat(ready.state()).isEqualTo(new Reloading<>(new Online<>(OLD), NEW));
        assertThat(ready.actions()).containsExactly(new Action.WentOnline<>(OLD));
        assertThat(late.state()).isEqualTo(new Reloading<>(new Online<>(OLD), NEW));
        assertThat(late.actions()).containsExactly(new Action.CountedOnline<>(OLD));
    }

    @Test
    void aStopDuringAReloadKillsTheReplacementAndStopsTheOldOne() {
        Step<String> step = next(reloadingOld().state(), new Input.Stop<>(Then.STAY));

        assertThat(step.state()).isEqualTo(new Stopping<>(OLD, Then.STAY));
        assertThat(step.actions()).containsExactly(new Action.Discard<>(NEW), new Action.ReloadFailed<>("a stop was requested"),
                new Action.Terminate<>(OLD));
    }

    @Test
    void aReplacementThatCannotStartEndsTheReloadAndTheOldOneKeepsServing() {
        Step<String> step = next(new Replacing<>(new Online<>(OLD)), new Input.SpawnFailed<>("no such file"));

        assertThat(step.state()).isEqualTo(new Online<>(OLD));
        assertThat(step.actions()).containsExactly(new Action.ReloadFailed<>("cannot start a replacement: no such file"));
    }

    @Test
    void anOldProcessThatCrashesDuringAReloadEndsItAndIsRestartedAsAnyCrash() {
        Step<String> step = next(reloadingOld().state(), exited(OLD, () -> new Decision.Restart(100)));

        assertThat(step.state()).isInstanceOf(WaitingRestart.class);
        assertThat(step.actions()).startsWith(new Action.Discard<>(NEW));
        assertThat(step.actions()).anyMatch(a -> a instanceof Action.ReloadFailed);
        assertThat(step.actions()).contains(new Action.ScheduleRestart<>((WaitingRestart<String>) step.state(), 100));
    }

    @Test
    void aNewInstanceLaunchesAndGoesOnlineWhenReady() {
        Step<String> starting = next(new Stopped<>(), new Input.Start<>());
        assertThat(starting.state()).isEqualTo(new LaunchRequested<>());
        assertThat(starting.actions()).containsExactly(new Action.Launch<>());

        Step<String> launching = next(starting.state(), new Input.Spawned<>(OLD));
        assertThat(launching.state()).isEqualTo(new Launching<>(OLD));

        Step<String> online = next(launching.state(), new Input.Ready<>(OLD));
        assertThat(online.state()).isEqualTo(new Online<>(OLD));
        assertThat(online.actions()).containsExactly(new Action.WentOnline<>(OLD));
    }

    @Test
    void aProcessThatCannotStartIsErrored() {
        Step<String> step = next(new LaunchRequested<>(), new Input.SpawnFailed<>("no such file"));

        assertThat(step.state()).isEqualTo(new Errored<>("no such file"));
    }

    @Test
    void notReadyWithinListenTimeoutCountsAsOnline() {
        Step<String> step = next(new Launching<>(OLD), new Input.ReadyTimeout<>(OLD, "late"));

        assertThat(step.state()).isEqualTo(new Online<>(OLD));
        assertThat(step.actions()).containsExactly(new Action.CountedOnline<>(OLD));
    }

    @Test
    void aCrashWaitsItsBackOffThenStartsAgain() {
        Step<String> crash = next(new Online<>(OLD), exited(OLD, () -> new Decision.Restart(150)));
        WaitingRestart<String> waiting = (WaitingRestart<String>) crash.state();
        assertThat(crash.actions()).containsExactly(new Action.Crashed<>(OLD, "exit code 1", new Decision.Restart(150)),
                new Action.ScheduleRestart<>(waiting, 150));
        assertThat(Lifecycle.status(waiting)).isEqualTo(Status.WAITING_RESTART);

        Step<String> due = next(waiting, new Input.RestartDue<>(waiting));

        assertThat(due.state()).isEqualTo(new LaunchRequested<>());
        assertThat(due.actions()).containsExactly(new Action.CountRestart<>(), new Action.Launch<>());
    }

    @Test
    void aStopCancelsAScheduledRestart() {
        WaitingRestart<String> waiting = new WaitingRestart<>();
        Step<String> stopped = next(waiting, new Input.Stop<>(Then.STAY));
        assertThat(stopped.state()).isEqualTo(new Stopped<>());

        assertThat(next(stopped.state(), new Input.RestartDue<>(waiting)).state()).isEqualTo(new Stopped<>());
        // Equal but not the same waiting: an older crash's timer.
        assertThat(next(new WaitingRestart<>(), new Input.RestartDue<>(waiting)).actions()).isEmpty();
    }

    @Test
    void exitsBeforeReadyAreUnstableAndMaxRestartsErrorsTheInstance() {
        RestartPolicy policy = new RestartPolicy(RestartPolicyTest.app(true, 2, 0, 100));
        Lifecycle<String> state = new Launching<>(OLD);
        for (int i = 0; i < 2; i++) {
            state = next(state, exited(OLD, () -> policy.onExit(false, 0))).state();
            assertThat(state).isInstanceOf(WaitingRestart.class);
            state = new Launching<>(OLD);
        }

        Step<String> third = next(state, exited(OLD, () -> policy.onExit(false, 0)));

        assertThat(third.state()).isInstanceOf(Errored.class);
        assertThat(((Errored<String>) third.state()).why()).contains("max_restarts");
        assertThat(Lifecycle.status(third.state())).isEqualTo(Status.ERRORED);
    }

    @Test
    void autorestartOffLeavesACrashedInstanceStopped() {
        Step<String> step = next(new Online<>(OLD), exited(OLD, () -> new Decision.StayStopped("autorestart is off")));

        assertThat(step.state()).isEqualTo(new Stopped<>());
    }

    @Test
    void aRestartWaitsForTheExitThenLaunchesWithoutAskingThePolicy() {
        Step<String> stopping = next(new Online<>(OLD), new Input.Stop<>(Then.RESTART));
        assertThat(stopping.state()).isEqualTo(new Stopping<>(OLD, Then.RESTART));
        assertThat(stopping.actions()).containsExactly(new Action.Terminate<>(OLD));

        Step<String> step = next(stopping.state(), exited(OLD, NOT_ASKED));

        assertThat(step.state()).isEqualTo(new LaunchRequested<>());
        assertThat(step.actions()).containsExactly(new Action.ExitedOnStop<>(OLD, "exit code 1"), new Action.CountRestart<>(), new Action.Launch<>());
    }

    @Test
    void aRestartOfAnInstanceWithNoProcessLaunchesAtOnce() {
        Step<String> step = next(new Errored<>("crash loop"), new Input.Stop<>(Then.RESTART));

        assertThat(step.state()).isEqualTo(new LaunchRequested<>());
        assertThat(step.actions()).containsExactly(new Action.CountRestart<>(), new Action.Launch<>());
    }

    @Test
    void aRemovalWinsOverALaterStopOrRestart() {
        Lifecycle<String> state = next(new Online<>(OLD), new Input.Stop<>(Then.REMOVE)).state();
        state = next(state, new Input.Stop<>(Then.STAY)).state();
        state = next(state, new Input.Stop<>(Then.RESTART)).state();
        assertThat(state).isEqualTo(new Stopping<>(OLD, Then.REMOVE));

        Step<String> step = next(state, exited(OLD, NOT_ASKED));

        assertThat(step.state()).isEqualTo(new Removed<>());
        assertThat(step.actions()).containsExactly(new Action.ExitedOnStop<>(OLD, "exit code 1"), new Action.Forget<>());
    }

    @Test
    void aPlainStopDuringARestartKeepsTheRestart() {
        Step<String> step = next(new Stopping<>(OLD, Then.RESTART), new Input.Stop<>(Then.STAY));

        assertThat(step.state()).isEqualTo(new Stopping<>(OLD, Then.RESTART));
    }

    @Test
    void deletingAnInstanceWithNoProcessForgetsItAtOnce() {
        Step<String> step = next(new Stopped<>(), new Input.Stop<>(Then.REMOVE));

        assertThat(step.state()).isEqualTo(new Removed<>());
        assertThat(step.actions()).containsExactly(new Action.Forget<>());
    }

    @Test
    void inputsAboutAnotherProcessAreStaleAndChangeNothing() {
        Online<String> online = new Online<>(NEW);

        for (Input<String> stale : List.<Input<String>>of(exited(OLD, NOT_ASKED), new Input.Ready<>(OLD),
                new Input.ReadyTimeout<>(OLD, "late"), new Input.Start<>())) {
            Step<String> step = next(online, stale);
            assertThat(step.state()).as("%s", stale).isSameAs(online);
            assertThat(step.actions()).as("%s", stale).isEmpty();
        }
    }

    @Test
    void aReloadSkipsAnInstanceWithNoProcess() {
        Step<String> step = next(new WaitingRestart<>(), new Input.ReloadBegin<>());

        assertThat(step.state()).isEqualTo(new WaitingRestart<>());
        assertThat(step.actions()).containsExactly(new Action.NothingToReplace<>());
    }

    @Test
    void aRetiringProcessThatExitsIsRemovedWithoutAskingThePolicy() {
        Step<String> step = next(new Retiring<>(OLD, true), exited(OLD, NOT_ASKED));

        assertThat(step.state()).isEqualTo(new Removed<>());
        assertThat(step.actions()).containsExactly(new Action.Retired<>(OLD, true, "exit code 1"));
    }

    @Test
    void aRetiringProcessIsNotStoppedTwice() {
        Step<String> step = next(new Retiring<>(OLD, true), new Input.Stop<>(Then.REMOVE));

        assertThat(step.state()).isEqualTo(new Retiring<>(OLD, true));
        assertThat(step.actions()).isEmpty();
    }

    @Test
    void aSpawnNobodyAskedForFailsLoudly() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> next(new Online<>(OLD), new Input.Spawned<>(NEW)))
                .isInstanceOf(IllegalStateException.class);
    }
}
