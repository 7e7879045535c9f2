package dev.clusterservers.plumbing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A master's inbox. Callbacks (a process exits, a signal arrives) only {@link #add} an
 * event; delayed events (a back-off ends) come from one daemon timer; one loop takes them
 * in order. So no two threads ever change the master's tables at once.
 */
public final class EventQueue<E> {
    private final BlockingQueue<E> events = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timer;

    public EventQueue(String timerThreadName) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, timerThreadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    public void add(E event) {
        events.add(event);
    }

    /** Adds {@code event} once {@code delay} has passed, unless the timers are cancelled first. */
    public void addAfter(Duration delay, E event) {
        timer.schedule(() -> events.add(event), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops every delayed event not yet added: a stopping master replaces nothing. */
    public void cancelTimers() {
        timer.shutdownNow();
    }

    /** The next event, waiting as long as it takes; {@code onInterrupt} if the thread is interrupted. */
    public E take(E onInterrupt) {
        try {
            return events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return onInterrupt;
        }
    }

    /** The next event, or null if none comes within {@code nanos} (or the thread is interrupted). */
    public E poll(long nanos) {
        try {
            return events.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The next event, or null once {@code deadlineNanos} ({@link System#nanoTime()}) has passed
     * without one: a stopping master waits for its children's exits this way, up to a kill deadline.
     */
    public E pollUntil(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        return left > 0 ? poll(left) : null;
    }
}
