package dev.clusterservers.forkserver;

import dev.clusterservers.forkserver.policy.Policy;
import dev.clusterservers.forkserver.ipc.Message;
import dev.clusterservers.forkserver.ipc.ProtocolException;
import dev.clusterservers.forkserver.ipc.Frames;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The master's view of one child: its process, the two ends of its pipes, and how many of
 * its requests are still pending.
 *
 * <p>Each child gets one reader thread (its stdout, frame by frame) and one writer thread
 * (its stdin). HTTP threads never touch a pipe: they put a frame in the child's outbox and
 * return. So a child that stops reading can slow down only its own requests, never block
 * the master's HTTP threads; and the outbox cannot grow without bound, because a request
 * is only put there after {@link #tryReserve()} granted it one of the child's in-flight slots.
 */
final class ChildHandle implements Policy.Candidate {
    enum State { STARTING, READY, GONE }

    /**
     * The request path's half of what a child says: each response goes to the request that
     * waits for it. The {@link Forwarder} sent the request, so the Forwarder takes its answer.
     * Runs on this child's reader thread, never waiting for the master's loop.
     */
    interface Responses {
        void onResponse(ChildHandle child, Message.Response response);

        /** The child is gone: answers every request still waiting on it at once; returns how many. */
        int onChildGone(ChildHandle child);
    }

    /** The control half: what the master's loop hears about this child. Implementations only enqueue. */
    interface Control {
        /** The child said it is up. */
        void onReady(ChildHandle child, long pid);

        /** A response came from a child that had been out of rotation for silence. */
        void onAnswersAgain(ChildHandle child);

        /**
         * The pipe from the child ended (it died, or closed it) or carried something that is
         * not a frame; {@code failedRequests} of its requests were answered 502.
         */
        void onLost(ChildHandle child, String why, boolean badFrame, int failedRequests);
    }

    /** Put in the outbox to tell the writer thread: close stdin after what is queued. */
    private static final byte[] END_OF_INPUT = new byte[0];

    private final int slot;
    private final Process process;
    private final int maxInFlight;
    private final Instant startedAt = Instant.now();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final BlockingQueue<byte[]> outbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> readerDone = new CompletableFuture<>();
    private final AtomicReference<Liveness> liveness = new AtomicReference<>(Liveness.ANSWERING);
    /** When this child last answered a request ({@link System#nanoTime()}); its start counts as one. */
    private volatile long lastAnswer = System.nanoTime();

    ChildHandle(int slot, Process process, int maxInFlight) {
        this.slot = slot;
        this.process = process;
        this.maxInFlight = maxInFlight;
    }

    /** Starts the reader and writer threads of this child's pipes. */
    void connect(Responses responses, Control control) {
        daemon("child-" + slot + "-reader", () -> readFrames(responses, control)).start();
        daemon("child-" + slot + "-writer", this::writeFrames).start();
    }

    /** Completes once the reader thread has reported the end of this child's stdout. */
    CompletableFuture<Void> readerDone() {
        return readerDone;
    }

    int slot() {
        return slot;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    Duration uptime() {
        return Duration.between(startedAt, Instant.now());
    }

    @Override
    public int pending() {
        return pending.get();
    }

    boolean isReady() {
        return state.get() == State.READY;
    }

    boolean isGone() {
        return state.get() == State.GONE;
    }

    /** From STARTING to READY, once: the child said it is up. */
    boolean markReady() {
        return state.compareAndSet(State.STARTING, State.READY);
    }

    /** To GONE, once: true only for the caller that made the change. */
    boolean markGone() {
        return state.getAndSet(State.GONE) != State.GONE;
    }

    /** Ready and answering: a policy may choose it. */
    boolean inRotation() {
        return isReady() && liveness.get().inRotation();
    }

    /**
     * A response arrived (on the reader thread, for every response: one volatile write and
     * one read). True if that brought the child back from silence.
     */
    boolean answered() {
        lastAnswer = System.nanoTime();
        return !liveness.get().inRotation() && changeLiveness(Liveness::answered);
    }

    /** A request sent at {@code sentAt} timed out. True if that took the child out of rotation. */
    boolean requestTimedOut(long sentAt) {
        long now = System.nanoTime();
        return changeLiveness(state -> state.requestTimedOut(sentAt, lastAnswer, now));
    }

    /** The master looks again after {@code grace}. True if the child stayed silent and must be recycled. */
    boolean stayedSilentFor(Duration grace) {
        long now = System.nanoTime();
        return changeLiveness(state -> state.checkedAt(now, grace));
    }

    /**
     * Applies one transition atomically (the reader, the timeout timer and the master's loop
     * all observe a child) and says whether it changed the state.
     */
    private boolean changeLiveness(UnaryOperator<Liveness> transition) {
        while (true) {
            Liveness before = liveness.get();
            Liveness after = transition.apply(before);
            if (after == before) {
                return false;
            }
            if (liveness.compareAndSet(before, after)) {
                return true;
            }
        }
    }

    /** Takes one in-flight slot if the child has one free: the master's back-pressure. */
    boolean tryReserve() {
        while (true) {
            int now = pending.get();
            if (now >= maxInFlight) {
                return false;
            }
            if (pending.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back the slot of a request that was answered, timed out or failed. */
    void release() {
        pending.decrementAndGet();
    }

    /** Queues a message for the writer thread; false if this child is gone. */
    boolean send(Message message) {
        return send(Frames.encode(message));
    }

    /** Queues a frame already encoded ({@link Frames#encode}); false if this child is gone. */
    boolean send(byte[] frame) {
        if (isGone()) {
            return false;
        }
        outbox.add(frame);
        return true;
    }

    /** Graceful: close the child's stdin once everything queued is written. EOF means "no more requests". */
    void stop() {
        outbox.add(END_OF_INPUT);
    }

    /** Forced: SIGKILL. */
    void kill() {
        process.destroyForcibly();
    }

    private void readFrames(Responses responses, Control control) {
        DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 64 * 1024));
        try {
            while (true) {
                Optional<Message> message = Frames.read(in);
                if (message.isEmpty()) {
                    lost(responses, control, "its stdout closed", false);
                    return;
                }
                route(message.get(), responses, control);
            }
        } catch (ProtocolException e) {
            lost(responses, control, e.getMessage(), true);
        } catch (IOException e) {
            lost(responses, control, "reading its stdout failed: " + e.getMessage(), false);
        } finally {
            readerDone.complete(null);
        }
    }

    /**
     * The master's half of the protocol: every kind a child may send, in one place. A response
     * goes straight to its waiting request (the request path); the rest is the loop's (control).
     */
    private void route(Message message, Responses responses, Control control) throws ProtocolException {
        // A switch expression with no default: a new kind of message does not compile until handled here.
        Runnable handler = switch (message.kind()) {
            case RESPONSE -> () -> {
                responses.onResponse(this, (Message.Response) message);
                if (answered()) {
                    control.onAnswersAgain(this);
                }
            };
            case READY -> () -> control.onReady(this, ((Message.Ready) message).pid());
            case HELLO, REQUEST -> throw new ProtocolException(this + " sent " + message.kind()
                    + ", which only the master sends");
        };
        handler.run();
    }

    /**
     * At once, on the reader thread: no client should wait for a timeout to learn that the
     * child is gone. Then the master's loop decides what else to do.
     */
    private void lost(Responses responses, Control control, String why, boolean badFrame) {
        if (markGone()) {
            control.onLost(this, why, badFrame, responses.onChildGone(this));
        }
    }

    /** Writes frames as they come; flushes only when the outbox is empty, so a burst shares one flush. */
    private void writeFrames() {
        OutputStream toChild = process.getOutputStream();
        try (toChild) {
            while (true) {
                byte[] frame = outbox.take();
                if (frame == END_OF_INPUT) {
                    return;
                }
                toChild.write(frame);
                if (outbox.isEmpty()) {
                    toChild.flush();
                }
            }
        } catch (IOException e) {
            // The child is gone; its reader thread sees the end of its stdout and reports it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public String toString() {
        return "child " + slot + " (PID " + pid() + ")";
    }
}
