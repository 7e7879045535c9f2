package dev.clusterservers.processmanager.daemon;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A zero-downtime reload in progress, one instance at a time:
 * <ol>
 * <li>start a replacement process beside the old one (both accept from the daemon's shared
 *     listener, or with {@code "listen": "reuseport"} both bind the port);</li>
 * <li>when it is ready, it becomes the instance's process, and the old one gets SIGTERM:
 *     it stops accepting, finishes what it has, exits;</li>
 * <li>when the old one has exited, go on with the next instance.</li>
 * </ol>
 * So at most one extra process runs, and never fewer than N ready instances accept
 * connections. A replacement that exits, or is not ready within {@code listen_timeout},
 * ends the reload: it is killed, and the old process, never touched, keeps serving.
 *
 * <p>This is the app's side; each instance's side (old beside replacement) is its
 * {@link Lifecycle.Reloading} state.
 */
final class RollingReload {
    private final Deque<Instance> queue;
    private Instance instance;
    private Child retiring;
    private int replaced;
    private boolean finished;
    private String failure;

    RollingReload(List<Instance> instances) {
        this.queue = new ArrayDeque<>(instances);
    }

    /** The next instance to replace, or null when all are done. */
    Instance next() {
        instance = queue.pollFirst();
        retiring = null;
        return instance;
    }

    Instance instance() {
        return instance;
    }

    /** The replacement is ready: it takes over, and the old process (if any) starts to drain. */
    void swapped(Child old) {
        retiring = old;
        replaced++;
    }

    Child retiring() {
        return retiring;
    }

    int replaced() {
        return replaced;
    }

    void finish(String why) {
        finished = true;
        failure = why;
    }

    boolean isFinished() {
        return finished;
    }

    /** Null if every instance was replaced. */
    String failure() {
        return failure;
    }
}
