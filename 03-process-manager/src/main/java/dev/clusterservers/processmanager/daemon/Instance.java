package dev.clusterservers.processmanager.daemon;

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
    private final App app;
    private final RestartPolicy policy;
    private final LogFile out;
    private final LogFile err;
    private final Deque<RestartRecord> history = new ArrayDeque<>();
    private Child current;
    private Status status = Status.STOPPED;
    private int restarts;
    /** Bumped whenever a scheduled restart must no longer happen (stopped, deleted meanwhile). */
    private long generation;
    /** Set by restart: when the current process has exited, start a new one. */
    private boolean startAfterExit;
    /** Set by scale down and delete: when the current process has exited, forget the instance. */
    private boolean removeAfterExit;
    private long lastMemoryCheckNanos = System.nanoTime();

    Instance(int id, App app, LogFile out, LogFile err) {
        this.id = id;
        this.app = app;
        this.policy = new RestartPolicy(app.spec());
        this.out = out;
        this.err = err;
    }

    int id() {
        return id;
    }

    App app() {
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

    Child current() {
        return current;
    }

    void setCurrent(Child child) {
        this.current = child;
    }

    boolean isRunning() {
        return current != null;
    }

    Status status() {
        return status;
    }

    void setStatus(Status status) {
        this.status = status;
    }

    int restarts() {
        return restarts;
    }

    void countRestart() {
        restarts++;
    }

    long generation() {
        return generation;
    }

    void cancelScheduledRestart() {
        generation++;
    }

    boolean startAfterExit() {
        return startAfterExit;
    }

    void setStartAfterExit(boolean value) {
        startAfterExit = value;
    }

    boolean removeAfterExit() {
        return removeAfterExit;
    }

    void setRemoveAfterExit() {
        removeAfterExit = true;
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
