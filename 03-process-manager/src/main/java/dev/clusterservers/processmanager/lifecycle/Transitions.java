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
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Running;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Stopped;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Stopping;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.Then;
import dev.clusterservers.processmanager.lifecycle.Lifecycle.WaitingRestart;
import java.util.ArrayList;
import java.util.List;

/**
 * The one transition function of an instance's lifecycle: {@code (state, input) -> (state,
 * actions)}. Pure: it starts, signals and logs nothing; it only says what the supervisor must do.
 *
 * <p>How it stays exhaustive on Java 17 (no pattern-matching switch over sealed types there): the
 * inputs by a visitor ({@link Input.Handler}: a new input does not compile until it has a method
 * here); within an input, the states it concerns by {@code instanceof}, and every other state is
 * left as it is on purpose, since an input about a process the state does not hold is stale (an
 * exit already reaped, a readiness that came too late).
 *
 * @param <P> the process handle
 */
public final class Transitions<P> implements Input.Handler<P, Step<P>> {
    private final Lifecycle<P> state;

    private Transitions(Lifecycle<P> state) {
        this.state = state;
    }

    public static <P> Step<P> next(Lifecycle<P> state, Input<P> input) {
        return input.accept(new Transitions<>(state));
    }

    private Step<P> unchanged() {
        return Step.of(state);
    }

    private boolean hasNoProcess() {
        return state instanceof Stopped || state instanceof WaitingRestart || state instanceof Errored;
    }

    @Override
    public Step<P> start(Input.Start<P> input) {
        return hasNoProcess() ? Step.of(new LaunchRequested<>(), new Action.Launch<>()) : unchanged();
    }

    @Override
    public Step<P> spawned(Input.Spawned<P> input) {
        if (state instanceof LaunchRequested) {
            return Step.of(new Launching<>(input.process()), new Action.Started<>(input.process()));
        }
        if (state instanceof Replacing<P> replacing) {
            return Step.of(new Reloading<>(replacing.old(), input.process()),
                    new Action.ReplacementStarted<>(input.process(), replacing.old().process()));
        }
        throw new IllegalStateException("a process started that nobody asked for, in state " + state);
    }

    @Override
    public Step<P> spawnFailed(Input.SpawnFailed<P> input) {
        if (state instanceof LaunchRequested) {
            return Step.of(new Errored<>(input.why()));
        }
        if (state instanceof Replacing<P> replacing) {
            return Step.of(replacing.old(), new Action.ReloadFailed<>("cannot start a replacement: " + input.why()));
        }
        throw new IllegalStateException("a start failed that nobody asked for, in state " + state);
    }

    @Override
    public Step<P> ready(Input.Ready<P> input) {
        P process = input.process();
        if (state instanceof Reloading<P> reloading && reloading.replacement() == process) {
            return Step.of(new Online<>(process), new Action.CountRestart<>(), new Action.Drain<>(reloading.old().process(), process));
        }
        return goesOnline(process, new Action.WentOnline<>(process));
    }

    @Override
    public Step<P> readyTimeout(Input.ReadyTimeout<P> input) {
        P process = input.process();
        if (state instanceof Reloading<P> reloading && reloading.replacement() == process) {
            return Step.of(reloading.old(), new Action.Discard<>(process), new Action.ReloadFailed<>(input.why()));
        }
        return goesOnline(process, new Action.CountedOnline<>(process));
    }

    /** A launching process goes online, alone or as the old one beside a replacement; else the input is stale. */
    private Step<P> goesOnline(P process, Action<P> action) {
        if (state instanceof Launching<P> launching && launching.process() == process) {
            return Step.of(new Online<>(process), action);
        }
        if (state instanceof Reloading<P> reloading && reloading.old() instanceof Launching<P> old && old.process() == process) {
            return Step.of(new Reloading<>(new Online<>(process), reloading.replacement()), action);
        }
        return unchanged();
    }

    @Override
    public Step<P> exited(Input.Exited<P> input) {
        P process = input.process();
        if (state instanceof Retiring<P> retiring && retiring.process() == process) {
            return Step.of(new Removed<>(), new Action.Retired<>(process, retiring.served(), input.how()));
        }
        if (state instanceof Reloading<P> reloading) {
            if (reloading.replacement() == process) {
                return Step.of(reloading.old(), new Action.ReloadFailed<>(
                        "replacement " + process + " exited (" + input.how() + ") before it was ready"));
            }
            if (reloading.old().process() == process) {
                // The old one crashed mid-reload: the reload ends, and the crash is handled as any other.
                Step<P> crash = crashed(input);
                List<Action<P>> actions = new ArrayList<>(List.of(new Action.Discard<>(reloading.replacement()),
                        new Action.ReloadFailed<>("the old process exited (" + input.how() + ") during the reload")));
                actions.addAll(crash.actions());
                return new Step<>(crash.state(), actions);
            }
        }
        if (state instanceof Running<P> running && running.process() == process) {
            return crashed(input);
        }
        if (state instanceof Stopping<P> stopping && stopping.process() == process) {
            Action<P> stopped = new Action.ExitedOnStop<>(process, input.how());
            return switch (stopping.then()) {
                case REMOVE -> Step.of(new Removed<>(), stopped, new Action.Forget<>());
                case RESTART -> Step.of(new LaunchRequested<>(), stopped, new Action.CountRestart<>(), new Action.Launch<>());
                case STAY -> Step.of(new Stopped<>(), stopped);
            };
        }
        return unchanged();
    }

    private Step<P> crashed(Input.Exited<P> input) {
        RestartPolicy.Decision decision = input.policy().get();
        Action<P> crashed = new Action.Crashed<>(input.process(), input.how(), decision);
        if (decision instanceof RestartPolicy.Decision.Restart restart) {
            WaitingRestart<P> waiting = new WaitingRestart<>();
            return Step.of(waiting, crashed, new Action.ScheduleRestart<>(waiting, restart.delayMs()));
        } else if (decision instanceof RestartPolicy.Decision.GiveUp giveUp) {
            return Step.of(new Errored<>(giveUp.why()), crashed);
        } else if (decision instanceof RestartPolicy.Decision.StayStopped) {
            return Step.of(new Stopped<>(), crashed);
        }
        throw new IllegalStateException("no transition for restart decision " + decision);
    }

    @Override
    public Step<P> stop(Input.Stop<P> input) {
        Then then = input.then();
        if (state instanceof Running<P> running) {
            return Step.of(new Stopping<>(running.process(), then), new Action.Terminate<>(running.process()));
        }
        if (state instanceof Stopping<P> stopping) {
            return Step.of(new Stopping<>(stopping.process(), stopping.then().and(then)), new Action.Terminate<>(stopping.process()));
        }
        if (state instanceof Reloading<P> reloading) {
            P old = reloading.old().process();
            return Step.of(new Stopping<>(old, then), new Action.Discard<>(reloading.replacement()),
                    new Action.ReloadFailed<>("a stop was requested"), new Action.Terminate<>(old));
        }
        if (hasNoProcess()) {
            return switch (then) {
                case REMOVE -> Step.of(new Removed<>(), new Action.Forget<>());
                case RESTART -> Step.of(new LaunchRequested<>(), new Action.CountRestart<>(), new Action.Launch<>());
                case STAY -> Step.of(new Stopped<>());
            };
        }
        return unchanged();
    }

    @Override
    public Step<P> restartDue(Input.RestartDue<P> input) {
        return state == input.scheduledIn()
                ? Step.of(new LaunchRequested<>(), new Action.CountRestart<>(), new Action.Launch<>())
                : unchanged();
    }

    @Override
    public Step<P> reloadBegin(Input.ReloadBegin<P> input) {
        return state instanceof Running<P> running
                ? Step.of(new Replacing<>(running), new Action.Launch<>())
                : Step.of(state, new Action.NothingToReplace<>());
    }

    @Override
    public Step<P> reloadAbort(Input.ReloadAbort<P> input) {
        if (state instanceof Reloading<P> reloading) {
            return Step.of(reloading.old(), new Action.Discard<>(reloading.replacement()), new Action.ReloadFailed<>(input.why()));
        }
        if (state instanceof Replacing<P> replacing) {
            return Step.of(replacing.old(), new Action.ReloadFailed<>(input.why()));
        }
        return Step.of(state, new Action.ReloadFailed<>(input.why()));
    }
}
