package dev.clusterservers.processmanager.lifecycle;

import java.util.List;

/**
 * A zero-downtime reload of one app, as a type: one instance at a time,
 * <ol>
 * <li>{@link Replacing}: a replacement process starts beside the old one (both accept from the
 *     daemon's shared listener, or with {@code "listen": "reuseport"} both bind the port);</li>
 * <li>{@link DrainingOld}: the replacement is ready and took over; the old process got SIGTERM,
 *     finishes what it has and exits;</li>
 * <li>then the next instance, until {@link Done}.</li>
 * </ol>
 * So at most one extra process runs, and never fewer than N ready instances accept connections.
 * A replacement that exits, or is not ready within {@code listen_timeout}, ends the reload
 * ({@link Failed}): it is killed, and the old process, never touched, keeps serving.
 *
 * <p>{@link #next} is the only way from one state to the next, and pure like
 * {@link Transitions#next}: it returns the {@link Effect}s for the supervisor to carry out. The
 * instance's own side (old process beside replacement) is its {@link Lifecycle}; the two talk
 * only through the supervisor's queue: a {@link Replace} becomes the instance's
 * {@link Input.ReloadBegin}, and the instance's actions come back here as {@link Trigger}s.
 *
 * @param <I> the instance; compared by identity
 * @param <P> the process handle; compared by identity
 */
public sealed interface ReloadState<I, P> {
    /** The states in which the reload runs; another reload of the app must wait. */
    sealed interface InProgress<I, P> extends ReloadState<I, P> {
        /** The instance being replaced now. */
        I instance();

        /** The instances still to replace, in order. */
        List<I> queue();

        int replaced();
    }

    /** No reload has run yet. */
    record Idle<I, P>() implements ReloadState<I, P> { }

    /** The replacement of {@code instance} is starting or getting ready; its old process serves. */
    record Replacing<I, P>(I instance, List<I> queue, int replaced) implements InProgress<I, P> { }

    /** The replacement took over; the reload goes on when {@code old} has exited. */
    record DrainingOld<I, P>(I instance, P old, List<I> queue, int replaced) implements InProgress<I, P> { }

    /** Every instance that ran was replaced. */
    record Done<I, P>(int replaced) implements ReloadState<I, P> { }

    /** Ended at {@code at}: the old process there keeps serving, and those not reached were not touched. */
    record Failed<I, P>(I at, String why) implements ReloadState<I, P> { }

    /** What happened that concerns the reload: its inputs (named so as not to be taken for the daemon's {@code Event}s). */
    sealed interface Trigger<I, P> { }

    /** A reload of these instances was asked for. */
    record Begin<I, P>(List<I> instances) implements Trigger<I, P> { }

    /** The instance has no process to replace (stopped, crashed, deleted): the reload goes on without it. */
    record NothingToReplace<I, P>(I instance) implements Trigger<I, P> { }

    /** The instance's replacement is ready and serves; {@code old} drains. */
    record TookOver<I, P>(I instance, P old) implements Trigger<I, P> { }

    /** A drained old process has exited. */
    record OldExited<I, P>(P old) implements Trigger<I, P> { }

    /** The instance's replacement failed (did not start, exited, not ready in time) or was cancelled. */
    record ReplacementFailed<I, P>(I instance, String why) implements Trigger<I, P> { }

    /** The reload must end now: a stop, a restart, the daemon's shutdown. */
    record Abort<I, P>(String why) implements Trigger<I, P> { }

    /** What the supervisor must do after a step. */
    sealed interface Effect<I, P> { }

    /** Start a replacement for this instance: its {@link Input.ReloadBegin}. */
    record Replace<I, P>(I instance) implements Effect<I, P> { }

    /** Kill the instance's replacement if it is not ready yet: its {@link Input.ReloadAbort}. */
    record CancelReplacement<I, P>(I instance, String why) implements Effect<I, P> { }

    /** A new state and what to do to get there. */
    record Step<I, P>(ReloadState<I, P> state, List<Effect<I, P>> effects) {
        @SafeVarargs
        static <I, P> Step<I, P> of(ReloadState<I, P> state, Effect<I, P>... effects) {
            return new Step<>(state, List.of(effects));
        }
    }

    /**
     * The one transition function of a reload. An event about another instance or process than
     * the one the state holds is stale and changes nothing; so does any event once the reload
     * has ended, which is why a failure reported twice (an abort, then the instance's own
     * report of it) ends the reload once.
     */
    static <I, P> Step<I, P> next(ReloadState<I, P> state, Trigger<I, P> event) {
        if (event instanceof Begin<I, P> begin) {
            return state instanceof InProgress ? Step.of(state) : nextInstance(begin.instances(), 0);
        }
        if (!(state instanceof InProgress<I, P> running)) {
            return Step.of(state);
        }
        if (event instanceof Abort<I, P> abort) {
            Failed<I, P> failed = new Failed<>(running.instance(), abort.why());
            return running instanceof Replacing
                    ? Step.of(failed, new CancelReplacement<>(running.instance(), abort.why()))
                    : Step.of(failed);
        }
        if (event instanceof ReplacementFailed<I, P> failed) {
            return running instanceof Replacing && failed.instance() == running.instance()
                    ? Step.of(new Failed<>(running.instance(), failed.why()))
                    : Step.of(state);
        }
        if (event instanceof NothingToReplace<I, P> nothing) {
            return running instanceof Replacing && nothing.instance() == running.instance()
                    ? nextInstance(running.queue(), running.replaced())
                    : Step.of(state);
        }
        if (event instanceof TookOver<I, P> tookOver) {
            return running instanceof Replacing && tookOver.instance() == running.instance()
                    ? Step.of(new DrainingOld<>(running.instance(), tookOver.old(), running.queue(), running.replaced() + 1))
                    : Step.of(state);
        }
        if (event instanceof OldExited<I, P> exited) {
            return running instanceof DrainingOld<I, P> draining && exited.old() == draining.old()
                    ? nextInstance(running.queue(), running.replaced())
                    : Step.of(state);
        }
        throw new IllegalStateException("no reload transition for " + event);
    }

    private static <I, P> Step<I, P> nextInstance(List<I> queue, int replaced) {
        if (queue.isEmpty()) {
            return Step.of(new Done<>(replaced));
        }
        I first = queue.get(0);
        return Step.of(new Replacing<>(first, List.copyOf(queue.subList(1, queue.size())), replaced), new Replace<>(first));
    }

    /** The instance being replaced, or null when no reload runs. */
    static <I> I current(ReloadState<I, ?> state) {
        return state instanceof InProgress<I, ?> running ? running.instance() : null;
    }
}
