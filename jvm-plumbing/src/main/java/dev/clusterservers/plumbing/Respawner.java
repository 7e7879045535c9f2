package dev.clusterservers.plumbing;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What every master does about the children it started: replaces one that died after its
 * slot's {@link Backoff}, and leaves none behind if the master's JVM ends any other way.
 *
 * <p>The replacement itself stays the master's: a respawn only puts the master's own
 * "respawn due" event on its {@link EventQueue} once the delay is over, and the master's
 * loop starts the child, so no timer thread ever touches the master's tables. Slots are the
 * master's numbers for its children (1 to N), so a replacement inherits its slot's back-off.
 *
 * @param <E> the master's event type
 */
public final class Respawner<E> {
    private final EventQueue<E> events;
    private final IntFunction<E> respawnDue;
    private final Supplier<Backoff> newBackoff;
    /** Only the master's loop reads and writes this. */
    private final Map<Integer, Backoff> backoffs = new TreeMap<>();
    /** Every child alive; read by the shutdown hook, which may run on any thread. */
    private final Set<Process> alive = ConcurrentHashMap.newKeySet();

    /** With {@link Backoff#defaults()} for every slot. */
    public Respawner(EventQueue<E> events, IntFunction<E> respawnDue) {
        this(events, respawnDue, Backoff::defaults);
    }

    public Respawner(EventQueue<E> events, IntFunction<E> respawnDue, Supplier<Backoff> newBackoff) {
        this.events = events;
        this.respawnDue = respawnDue;
        this.newBackoff = newBackoff;
    }

    /**
     * Last resort, if the JVM exits without the master's orderly stop (an exception, a
     * {@code System.exit}, SIGTERM before the loop runs): no child outlives the master.
     */
    public void killChildrenOnExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::killChildren, "master-exit"));
    }

    /** A child was started in some slot: it is killed if the master's JVM ends first. */
    public void started(Process child) {
        alive.add(child);
    }

    /** A child exited: nothing left to kill. */
    public void exited(Process child) {
        alive.remove(child);
    }

    /**
     * A child in {@code slot} died after {@code uptime} (or never started: {@link Duration#ZERO}).
     * Puts the master's respawn event for that slot on the queue after the slot's back-off,
     * and returns that delay so the master can say it in its log line.
     */
    public Duration scheduleRespawn(int slot, Duration uptime) {
        Duration delay = backoff(slot).nextDelay(uptime);
        events.addAfter(delay, respawnDue.apply(slot));
        return delay;
    }

    /** The back-off of one slot, for a log line that explains a wait. */
    public Backoff backoff(int slot) {
        return backoffs.computeIfAbsent(slot, ignored -> newBackoff.get());
    }

    /** SIGKILL to every child still alive. */
    void killChildren() {
        alive.forEach(Process::destroyForcibly);
    }
}
