package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.lifecycle.Lifecycle;
import dev.clusterservers.processmanager.lifecycle.RestartPolicy;
import dev.clusterservers.processmanager.lifecycle.Status;
import dev.clusterservers.processmanager.logs.LogFile;
import dev.clusterservers.processmanager.protocol.ProcessInfo.RestartRecord;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The daemon's view of one instance: the id {@code jpm list} shows, which stays the same
 * across restarts and reloads, and the process that currently fills it.
 */
final class Instance {
    /** How many restarts {@code describe} remembers. */
    static final int HISTORY = 20;

    private final int id;
    private final ManagedApp app;
    private final RestartPolicy policy;
    private final LogFile out;
    private final LogFile err;
    private final Deque<RestartRecord> history = new ArrayDeque<>();
    private Lifecycle<InstanceHandle> state = new Lifecycle.Stopped<>();
    private int restarts;
    private long lastMemoryCheckNanos = System.nanoTime();

    Instance(int id, ManagedApp app, LogFile out, LogFile err) {
        this.id = id;
        this.app = app;
        this.policy = new RestartPolicy(app.spec());
        this.out = out;
        this.err = err;
    }

    int id() {
        return id;
    }

    ManagedApp app() {
        return app;
    }

    RestartPolicy policy() {
        return policy;
    }

    LogFile out() {
        return out;
    }

    LogFile err() {
        return err;
    }

    Lifecycle<InstanceHandle> state() {
        return state;
    }

    /** Only the {@link Supervisor}, with what {@code Transitions#next} returned. */
    void setState(Lifecycle<InstanceHandle> state) {
        this.state = state;
    }

    /** The process that serves (the old one during a reload) or is stopping; null if none. */
    InstanceHandle current() {
        return Lifecycle.process(state);
    }

    /** Whether this process is online: it became ready (or was counted so) and serves. */
    boolean isOnline(InstanceHandle child) {
        return Lifecycle.serving(state) instanceof Lifecycle.Online<InstanceHandle> online && online.process() == child;
    }

    boolean isRunning() {
        return current() != null;
    }

    Status status() {
        return Lifecycle.status(state);
    }

    /** A restart waits for the process to exit. */
    boolean startAfterExit() {
        return state instanceof Lifecycle.Stopping<InstanceHandle> stopping && stopping.then() == Lifecycle.Then.RESTART;
    }

    int restarts() {
        return restarts;
    }

    void countRestart() {
        restarts++;
    }

    void remember(RestartRecord record) {
        history.addLast(record);
        while (history.size() > HISTORY) {
            history.removeFirst();
        }
    }

    List<RestartRecord> history() {
        return List.copyOf(history);
    }

    /** True once per {@code memory_check_interval}. */
    boolean memoryCheckDue(long intervalMs) {
        long now = System.nanoTime();
        if (now - lastMemoryCheckNanos >= intervalMs * 1_000_000) {
            lastMemoryCheckNanos = now;
            return true;
        }
        return false;
    }

    void closeLogs() {
        out.close();
        err.close();
    }
}
