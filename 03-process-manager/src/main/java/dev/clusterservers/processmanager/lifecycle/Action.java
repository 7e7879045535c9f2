package dev.clusterservers.processmanager.lifecycle;

import java.util.List;

/**
 * What the {@code Supervisor} must do after a transition, in order. Exhaustive at compile time
 * the same way as {@link Input}: each action calls its own method of {@link Handler}.
 *
 * @param <P> the process handle
 */
public sealed interface Action<P> {
    void accept(Handler<P> handler);

    /** One method per action. */
    interface Handler<P> {
        void launch(Launch<P> action);

        void terminate(Terminate<P> action);

        void drain(Drain<P> action);

        void discard(Discard<P> action);

        void wentOnline(WentOnline<P> action);

        void countedOnline(CountedOnline<P> action);

        void replacementStarted(ReplacementStarted<P> action);

        void exitedOnStop(ExitedOnStop<P> action);

        void crashed(Crashed<P> action);

        void scheduleRestart(ScheduleRestart<P> action);

        void countRestart(CountRestart<P> action);

        void forget(Forget<P> action);

        void reloadFailed(ReloadFailed<P> action);

        void started(Started<P> action);

        void nothingToReplace(NothingToReplace<P> action);

        void retired(Retired<P> action);
    }

    /** A new state and what to do to get there. */
    record Step<P>(Lifecycle<P> state, List<Action<P>> actions) {
        @SafeVarargs
        static <P> Step<P> of(Lifecycle<P> state, Action<P>... actions) {
            return new Step<>(state, List.of(actions));
        }
    }

    /** Start a process for the instance, and answer with {@link Input.Spawned} or {@link Input.SpawnFailed}. */
    record Launch<P>() implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.launch(this);
        }
    }

    /** Graceful stop: SIGTERM now, SIGKILL after {@code kill_timeout}. */
    record Terminate<P>(P process) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.terminate(this);
        }
    }

    /** The reload's replacement took over: {@code old} becomes {@link Lifecycle.Retiring} and stops gracefully; the reload goes on when it has exited. */
    record Drain<P>(P old, P replacement) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.drain(this);
        }
    }

    /** A replacement that never served: {@link Lifecycle.Retiring} at once, SIGKILL, no drain to wait for. */
    record Discard<P>(P replacement) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.discard(this);
        }
    }

    record WentOnline<P>(P process) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.wentOnline(this);
        }
    }

    /** Not ready after {@code listen_timeout}: counted online anyway (PM2 does the same). */
    record CountedOnline<P>(P process) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.countedOnline(this);
        }
    }

    record ReplacementStarted<P>(P replacement, P old) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.replacementStarted(this);
        }
    }

    /** A process we stopped has exited. */
    record ExitedOnStop<P>(P process, String how) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.exitedOnStop(this);
        }
    }

    /** A process exited on its own; {@code decision} is what the restart policy said. */
    record Crashed<P>(P process, String how, RestartPolicy.Decision decision) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.crashed(this);
        }
    }

    /** Send {@link Input.RestartDue} for {@code waiting} after the delay. */
    record ScheduleRestart<P>(Lifecycle.WaitingRestart<P> waiting, long delayMs) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.scheduleRestart(this);
        }
    }

    /** The {@code restarts} column goes up. */
    record CountRestart<P>() implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.countRestart(this);
        }
    }

    /** Take the instance out of the table. */
    record Forget<P>() implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.forget(this);
        }
    }

    /** The instance's part of the reload failed; the old process keeps serving. Reported to the app's {@link ReloadState}. */
    record ReloadFailed<P>(String why) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.reloadFailed(this);
        }
    }

    /** A process a {@link Launch} asked for has started (a replacement's start is {@link ReplacementStarted}). */
    record Started<P>(P process) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.started(this);
        }
    }

    /** A reload reached an instance with no process to replace: it goes on with the next one. */
    record NothingToReplace<P>() implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.nothingToReplace(this);
        }
    }

    /** A {@link Lifecycle.Retiring} process has exited: an old one drained, or a discarded replacement. */
    record Retired<P>(P process, boolean served, String how) implements Action<P> {
        public void accept(Handler<P> handler) {
            handler.retired(this);
        }
    }
}
