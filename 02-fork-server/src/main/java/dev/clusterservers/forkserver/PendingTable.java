package dev.clusterservers.forkserver;

import dev.clusterservers.forkserver.ipc.Message.Response;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial's message list: every request sent to a child and not answered yet, by its
 * correlation id. A request leaves the table exactly once, in one of four ways, and whoever
 * removes it answers the client: the child's response arrives, the timeout fires (504), the
 * child is lost (502), or it could not be sent (502). {@link ConcurrentHashMap#remove} decides
 * the race when two of these happen at once.
 */
final class PendingTable {
    private static final Logger LOG = LoggerFactory.getLogger("master");

    /** One request waiting for its child. */
    static final class InFlightRequest {
        private final long id;
        private final ChildHandle child;
        private final String what;
        /** When the request was entered, just before it was sent ({@link System#nanoTime()}). */
        private final long sentAt = System.nanoTime();
        private final CompletableFuture<Response> answer = new CompletableFuture<>();
        private volatile ScheduledFuture<?> deadline;

        InFlightRequest(long id, ChildHandle child, String what) {
            this.id = id;
            this.child = child;
            this.what = what;
        }

        long id() {
            return id;
        }

        /** Completes when the request leaves the table, with what the client should get. */
        CompletableFuture<Response> answer() {
            return answer;
        }
    }

    private final Map<Long, InFlightRequest> byId = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong(); // 0 is Message.NO_ID
    private final Duration timeout;
    private final TimeoutListener onTimeout;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "request-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    /** Told of every timeout, on the timer thread, after the client got its 504. */
    interface TimeoutListener {
        void requestTimedOut(ChildHandle child, long sentAt);
    }

    PendingTable(Duration timeout, TimeoutListener onTimeout) {
        this.timeout = timeout;
        this.onTimeout = onTimeout;
        timer.setRemoveOnCancelPolicy(true); // answered requests must not leave their timers behind
    }

    /** A fresh correlation id, for a request about to be encoded. */
    long nextId() {
        return lastId.incrementAndGet();
    }

    /** Enters request {@code id}, which the master is about to send to {@code child}, which holds a slot for it. */
    InFlightRequest open(long id, ChildHandle child, String what) {
        InFlightRequest pending = new InFlightRequest(id, child, what);
        byId.put(pending.id, pending);
        pending.deadline = timer.schedule(() -> expire(pending.id), timeout.toNanos(), TimeUnit.NANOSECONDS);
        return pending;
    }

    /** A child answered. False if nobody waits any more (it timed out): the reply is dropped. */
    boolean answer(Response response) {
        InFlightRequest pending = take(response.id());
        if (pending == null) {
            LOG.warn("late reply {} dropped: its request had already been answered", response.id());
            return false;
        }
        pending.answer.complete(response);
        return true;
    }

    /** Answers one request with an error the master makes up. */
    void fail(long id, int status, String why) {
        InFlightRequest pending = take(id);
        if (pending != null) {
            pending.answer.complete(Response.text(id, status, why + "\n"));
        }
    }

    /** Answers every request pending on {@code child} at once; returns how many there were. */
    int failAll(ChildHandle child, int status, String why) {
        int failed = 0;
        for (InFlightRequest pending : byId.values()) {
            if (pending.child == child && take(pending.id) != null) {
                pending.answer.complete(Response.text(pending.id, status, why + "\n"));
                failed++;
            }
        }
        return failed;
    }

    int size() {
        return byId.size();
    }

    void close() {
        timer.shutdownNow();
    }

    private void expire(long id) {
        InFlightRequest pending = take(id);
        if (pending != null) {
            LOG.warn("{} on {} got no answer in {} ms: answering 504", pending.what, pending.child, timeout.toMillis());
            pending.answer.complete(Response.text(id, 504,
                    pending.child + " did not answer in " + timeout.toMillis() + " ms\n"));
            onTimeout.requestTimedOut(pending.child, pending.sentAt);
        }
    }

    /** Removes a request from the table and frees its slot and timer; null if already gone. */
    private InFlightRequest take(long id) {
        InFlightRequest pending = byId.remove(id);
        if (pending != null) {
            pending.child.release();
            ScheduledFuture<?> deadline = pending.deadline;
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
        return pending;
    }
}
