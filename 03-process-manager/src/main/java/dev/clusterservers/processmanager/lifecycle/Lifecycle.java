package dev.clusterservers.processmanager.lifecycle;

/**
 * One instance's lifecycle, as a type: each state holds exactly the processes it has, so no
 * flag can disagree with another. {@link Transitions#next} is the only way from one state to the
 * next; the {@code Supervisor} stores the result and carries out its {@link Action}s.
 *
 * <p>{@code P} is the process: a {@code InstanceHandle} in the daemon, a plain name in the unit tests,
 * which is why the transitions can be tested without starting anything.
 *
 * @param <P> the process handle; compared by identity
 */
public sealed interface Lifecycle<P> {
    /** What a stop leads to once the process has exited. */
    enum Then {
        /** {@code jpm restart}: start a new process. */
        RESTART,
        /** Scale down, delete, kill: forget the instance. */
        REMOVE,
        /** {@code jpm stop}: stay stopped. */
        STAY;

        /** A second stop while one is under way: removal wins, and a plain stop changes nothing. */
        Then and(Then later) {
            return this == REMOVE || later == REMOVE ? REMOVE : later == STAY ? this : later;
        }
    }

    /** The states whose process serves, or will once ready: the ones a reload replaces. */
    sealed interface Running<P> extends Lifecycle<P> {
        P process();
    }

    /** No process, none coming: a new instance, or after {@code jpm stop}, or autorestart off. */
    record Stopped<P>() implements Lifecycle<P> { }

    /** A {@link Action.Launch} was asked; {@link Input.Spawned} or {@link Input.SpawnFailed} comes next. */
    record LaunchRequested<P>() implements Lifecycle<P> { }

    /** Started, not ready yet. */
    record Launching<P>(P process) implements Running<P> { }

    record Online<P>(P process) implements Running<P> { }

    /** A reload asked for a replacement of {@code old}, which keeps serving meanwhile. */
    record Replacing<P>(Running<P> old) implements Lifecycle<P> { }

    /** The replacement runs beside {@code old}; it takes over when ready, or the reload ends. */
    record Reloading<P>(Running<P> old, P replacement) implements Lifecycle<P> { }

    /** SIGTERM sent (SIGKILL after {@code kill_timeout}); what comes after the exit is {@code then}. */
    record Stopping<P>(P process, Then then) implements Lifecycle<P> { }

    /**
     * Crashed; a {@link Input.RestartDue} naming this very object starts it again. Compared by
     * identity ({@code ==}), so a restart scheduled before a stop or an earlier crash is stale.
     */
    record WaitingRestart<P>() implements Lifecycle<P> { }

    /** Crashed too often too soon, or could not start: left alone until someone restarts it. */
    record Errored<P>(String why) implements Lifecycle<P> { }

    /**
     * A process that left its instance's place but has not exited: an old one a reload replaced,
     * draining ({@code served}), or a replacement the reload discarded before it served. It has a
     * state of its own, beside the instance's, so that its exit goes through {@link Transitions#next}
     * like every other.
     */
    record Retiring<P>(P process, boolean served) implements Lifecycle<P> { }

    /** Forgotten: no longer in the table. */
    record Removed<P>() implements Lifecycle<P> { }

    /** The process that serves now, or will: the old one during a reload; null if none. */
    static <P> Running<P> serving(Lifecycle<P> state) {
        if (state instanceof Reloading<P> reloading) {
            return reloading.old();
        }
        if (state instanceof Replacing<P> replacing) {
            return replacing.old();
        }
        return state instanceof Running<P> running ? running : null;
    }

    /** The instance's process, serving or stopping; null if none. */
    static <P> P process(Lifecycle<P> state) {
        Running<P> serving = serving(state);
        if (serving != null) {
            return serving.process();
        }
        if (state instanceof Retiring<P> retiring) {
            return retiring.process();
        }
        return state instanceof Stopping<P> stopping ? stopping.process() : null;
    }

    /** PM2's word for the state, as {@code jpm list} shows it; a reload shows the old process's. */
    static Status status(Lifecycle<?> state) {
        Lifecycle<?> shown = serving(state) != null ? serving(state) : state;
        if (shown instanceof Launching || shown instanceof LaunchRequested) {
            return Status.LAUNCHING;
        } else if (shown instanceof Online) {
            return Status.ONLINE;
        } else if (shown instanceof Stopping || shown instanceof Retiring) {
            return Status.STOPPING;
        } else if (shown instanceof Stopped || shown instanceof Removed) {
            return Status.STOPPED;
        } else if (shown instanceof WaitingRestart) {
            return Status.WAITING_RESTART;
        } else if (shown instanceof Errored) {
            return Status.ERRORED;
        }
        throw new IllegalStateException("no status for state " + state);
    }
}
