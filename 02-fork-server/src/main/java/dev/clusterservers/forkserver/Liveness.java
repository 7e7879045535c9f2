package dev.clusterservers.forkserver;

import java.time.Duration;

/**
 * Whether a child still answers, as the master can tell from its pending table alone.
 *
 * <p>A timeout by itself says little: one request may be slow while its child answers
 * everything else. What says a child has stopped answering (frozen by SIGSTOP, stuck in a
 * GC, deadlocked) is a request that timed out while nothing at all came back from that
 * child since the request was sent. Such a child is {@link Silent}: out of rotation, so no
 * policy sends it more requests to wait the full timeout. If it answers anything, even a
 * late reply, it is {@link Answering} again; if it stays silent for another timeout, it is
 * {@link Recycled}: the master kills it and the usual exit path replaces it. This is
 * nginx's passive health check ({@code max_fails=1}) with gunicorn's answer to a worker
 * that stays silent: kill it.
 *
 * <p>Times are {@link System#nanoTime()} readings, compared by difference as that clock requires.
 */
sealed interface Liveness {
    /** In rotation: the state every child starts in. */
    Liveness ANSWERING = new Answering();
    /** Killed for its silence; nothing brings it back. */
    Liveness RECYCLED = new Recycled();

    record Answering() implements Liveness { }

    /** Out of rotation since {@code since}. */
    record Silent(long since) implements Liveness { }

    record Recycled() implements Liveness { }

    /** A request sent at {@code sentAt} got no answer in time; the child last answered anything at {@code lastAnswer}. */
    default Liveness requestTimedOut(long sentAt, long lastAnswer, long now) {
        boolean nothingSinceSent = lastAnswer - sentAt < 0;
        return this instanceof Answering && nothingSinceSent ? new Silent(now) : this;
    }

    /** The child answered a request (in time or late). */
    default Liveness answered() {
        return this instanceof Silent ? ANSWERING : this;
    }

    /** The master looks again, {@code grace} after it took the child out of rotation. */
    default Liveness checkedAt(long now, Duration grace) {
        return this instanceof Silent silent && now - silent.since() >= grace.toNanos() ? RECYCLED : this;
    }

    /** Whether a policy may choose this child. */
    default boolean inRotation() {
        return this instanceof Answering;
    }
}
