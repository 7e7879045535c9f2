package dev.clusterservers.processmanager;

import dev.clusterservers.processmanager.cli.Cli;
import dev.clusterservers.processmanager.daemon.ProcStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

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
        // The jpm script execs java, so this process began when the user's command did, before the JVM's start-up.
        Duration age = ProcStats.age(ProcessHandle.current().pid());
        Instant started = age == null ? Instant.now() : Instant.now().minus(age);
        System.exit(new Cli(Home.fromEnvironment(System.getenv()), out, err, started).run(args));
    }
}
