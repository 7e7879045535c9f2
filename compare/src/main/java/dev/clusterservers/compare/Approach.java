package dev.clusterservers.compare;

import java.util.Arrays;
import java.util.List;

/**
 * The ways to serve one port from several JVMs that the lessons build, plus the baseline
 * every one of them is measured against (one JVM serving the same hello-world alone), the
 * same answer from Jetty without Javalin, and the tutorial's own Node.js programs, each
 * beside the lesson that mirrors it.
 */
public enum Approach {
    /** Lesson 01's worker alone, binding the port itself: no master, no second JVM. */
    SINGLE_JVM("single-jvm", "one JVM, no master (baseline)"),
    /** The same answer from a Jetty 12 core Handler in one JVM: what Javalin costs. */
    JETTY_HANDLER("jetty-handler", "one JVM, plain Jetty Handler (no Javalin)"),
    /** The master accepts every connection and hands its descriptor to the next worker. */
    SHARE_ROUND_ROBIN("01-round-robin", "01 round-robin hand-off"),
    /** Every worker accepts on the master's one listening socket, inherited. */
    SHARE_SHARED("01-shared", "01 shared listener"),
    /** Every worker binds its own socket with SO_REUSEPORT; the kernel spreads connections. */
    SHARE_REUSEPORT("01-reuseport", "01 SO_REUSEPORT"),
    /** The tutorial's "Share ports": Node's cluster module, the primary hands connections out in turn. */
    NODE_CLUSTER("node-cluster", "Node cluster (tutorial's share-ports.js)"),
    /** The master serves HTTP and forwards each request over a pipe to a random child. */
    FORK_RANDOM("02-random", "02 fork server, random"),
    FORK_ROUND_ROBIN("02-round-robin", "02 fork server, round-robin"),
    FORK_LEAST_PENDING("02-least-pending", "02 fork server, least-pending"),
    /** The tutorial's "Fork server", made to work: the master forwards each request to a random child over IPC. */
    NODE_FORK_SERVER("node-fork-server", "Node fork server (tutorial's, made to work)"),
    /** jpm starts N instances of the example app in cluster mode, all on the daemon's one listening socket (as 01-shared). */
    JPM_CLUSTER("03-jpm", "03 jpm cluster mode"),
    /** The tutorial's "Process manager": PM2 cluster mode running api.js from process.json. */
    NODE_PM2("node-pm2", "PM2 cluster mode (tutorial's api.js)");

    private final String id;
    private final String description;

    Approach(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** The one-JVM rows have no workers to count: each runs once, as {@code single-jvm/1}. */
    public List<Integer> workerCounts(List<Integer> requested) {
        return isSingleProcess() ? List.of(1) : requested;
    }

    public boolean isSingleProcess() {
        return this == SINGLE_JVM || this == JETTY_HANDLER;
    }

    /** Runs on Node.js rather than on the JVM. */
    public boolean isNode() {
        return this == NODE_CLUSTER || this == NODE_FORK_SERVER || this == NODE_PM2;
    }

    public static Approach byId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no approach '" + id + "'; one of "
                        + Arrays.stream(values()).map(Approach::id).toList()));
    }
}
