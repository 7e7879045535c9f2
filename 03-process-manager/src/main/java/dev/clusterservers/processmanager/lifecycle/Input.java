package dev.clusterservers.processmanager.lifecycle;

import java.util.function.Supplier;

/**
 * What can happen to one instance: the inputs of {@link Transitions#next}.
 *
 * <p>Exhaustive at compile time by a visitor: each input calls its own method of
 * {@link Handler}, so a new input must add a method there, and {@link Transitions} does not
 * compile until it handles it. (Java 17, our target, has no pattern-matching switch over a
 * sealed type; it is a preview feature there.)
 *
 * @param <P> the process handle
 */
public sealed interface Input<P> {
    <R> R accept(Handler<P, R> handler);

    /** One method per input. */
    interface Handler<P, R> {
        R start(Start<P> input);

        R spawned(Spawned<P> input);

        R spawnFailed(SpawnFailed<P> input);

        R ready(Ready<P> input);

        R readyTimeout(ReadyTimeout<P> input);

        R exited(Exited<P> input);

        R stop(Stop<P> input);

        R restartDue(RestartDue<P> input);

        R reloadBegin(ReloadBegin<P> input);

        R reloadAbort(ReloadAbort<P> input);
    }

    /** Start a new instance (add, scale up). */
    record Start<P>() implements Input<P> {
        public <R> R accept(Handler<P, R> handler) {
            return handler.start(this);
        }
    }

    /** The launcher started the process a {@link Action.Launch} asked for. */
    record Spawned<P>(P process) implements Input<P> {
        public <R> R accept(Handler<P, R> handler) {
            return handler.spawned(this);
        }
    }

    /** The launcher could not start it. */
    record SpawnFailed<P>(String why) implements Input<P> {
        public <R> R accept(Handler<P, R> handler) {
            return handler.spawnFailed(this);
        }
    }

    /** The process is ready (listens, said ready, or said hello: see {@code Supervisor#agentSaid}). */
    record Ready<P>(P process) implements Input<P> {
        public <R> R accept(Handler<P, R> handler) {
            return handler.ready(this);
        }
    }

    /** {@code listen_timeout} passed and the process is not ready; {@code why} says so for a reload's failure. */
    record ReadyTimeout<P>(P process, String why) implements Input<P> {
        public <R> R accept(Handler<P, R> handler) {
            return handler.readyTimeout(this);
        }
    }

    /**
     * The process ended. {@code policy} is {@link RestartPolicy}'s verdict, asked only if the exit
     * is a crash (the policy counts what it is asked).
     */
    record Exited<P>(P process, String how, Supplier<RestartPolicy.Decision> policy) implements Input<P> {
        public <R> R accept(Handler<P, R> handler) {
            return handler.exited(this);
        }
    }

    /** {@code stop}, {@code restart}, {@code delete}, scale down, {@code kill}. */
    record Stop<P>(Lifecycle.Then then) implements Input<P> {
        public <R> R accept(Handler<P, R> handler) {
            return handler.stop(this);
        }
    }

    /** A back-off delay ended; stale unless the instance is still in {@code scheduledIn}. */
    record RestartDue<P>(Lifecycle<P> scheduledIn) implements Input<P> {
        public <R> R accept(Handler<P, R> handler) {
            return handler.restartDue(this);
        }
    }

    /** A rolling reload reached this instance. */
    record ReloadBegin<P>() implements Input<P> {
        public <R> R accept(Handler<P, R> handler) {
            return handler.reloadBegin(this);
        }
    }

    /** The app's reload must end now (a stop, the daemon's shutdown). */
    record ReloadAbort<P>(String why) implements Input<P> {
        public <R> R accept(Handler<P, R> handler) {
            return handler.reloadAbort(this);
        }
    }
}
