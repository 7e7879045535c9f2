package dev.clusterservers.processmanager;

import dev.clusterservers.processmanager.cli.Cli;
import java.io.PrintWriter;

/**
 * Lesson 3: a process manager, our own PM2 for Java apps. The entry point only decides the
 * role: {@code jpm daemon} (started by the CLI itself, never by hand) is the daemon that
 * holds the apps; every other command is the CLI, which talks to it.
 *
 * <p>Run: {@code ./03-process-manager/jpm start 03-process-manager/process.json}, then
 * {@code jpm list}. See the module README for what to observe.
 */
public final class Jpm {
    private Jpm() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(new Cli(Home.fromEnvironment(System.getenv()), out, err).run(args));
    }
}
