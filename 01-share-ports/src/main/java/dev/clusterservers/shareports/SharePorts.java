package dev.clusterservers.shareports;

import dev.clusterservers.plumbing.CommandLines;
import java.util.OptionalInt;

/**
 * Lesson 1: one port, many JVMs. The entry point only decides the role, as Node's
 * {@code cluster.isMaster} does: the process a person starts is the master; the processes
 * it starts are told {@code --role worker}.
 *
 * <p>Run: {@code java -jar 01-share-ports/target/01-share-ports.jar --workers 4}, then
 * {@code curl -i localhost:8000}. See the module README for what to observe.
 */
public final class SharePorts {
    private SharePorts() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses the command line and runs the chosen role; returns the process exit code. */
    public static int run(String... args) {
        Options options = new Options();
        OptionalInt done = CommandLines.parse(options, options::validate, args);
        if (done.isPresent()) {
            return done.getAsInt();
        }
        return switch (options.role()) {
            case MASTER -> new Master(options).run();
            case WORKER -> new Worker(options).run();
        };
    }
}
