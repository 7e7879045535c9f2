package dev.clusterservers.forkserver;

import dev.clusterservers.plumbing.CommandLines;
import dev.clusterservers.plumbing.ExitCode;
import java.util.OptionalInt;

/**
 * Lesson 2: a master that keeps the port and forks the work. The entry point only decides
 * the role, as Node's {@code cluster.isMaster} does: the process a person starts is the
 * master; the processes it starts are told {@code --role CHILD}.
 *
 * <p>Run: {@code java -jar 02-fork-server/target/02-fork-server.jar}, then
 * {@code curl -i localhost:8000}. See the module README for what to observe.
 */
public final class ForkServer {
    private ForkServer() {
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
            // A master needs a heap ceiling of its own: without one, it restarts with it.
            case MASTER -> JvmSizing.heapChosen() ? new Master(options).run() : MasterLauncher.run(args);
            case CHILD -> new Child(options).run();
        };
    }
}
