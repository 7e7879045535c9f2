package dev.clusterservers.processmanager;

import dev.clusterservers.processmanager.cli.Cli;
import dev.clusterservers.processmanager.daemon.Daemon;
import dev.clusterservers.processmanager.proc.ProcStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Lesson 3: a process manager, our own PM2 for Java apps. The entry point only decides the
 * role, as lessons 01 and 02 do: {@code jpm daemon --home DIR} (started by the CLI itself,
 * detached, never by hand) is the {@link Daemon} that holds the apps; every other command is
 * the {@link Cli}, which talks to it.
 *
 * <p>Run: {@code ./03-process-manager/jpm start 03-process-manager/process.json}, then
 * {@code jpm list}. See the module README for what to observe.
 */
public final class Jpm {
    /** The daemon's arguments, before its home folder; the CLI starts it with these. */
    public static final List<String> DAEMON_ROLE = List.of("daemon", "--home");

    private Jpm() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(DAEMON_ROLE.get(0))) {
            System.exit(daemon(args));
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        // The jpm script execs java, so this process began when the user's command did, before the JVM's start-up.
        Duration age = ProcStats.age(ProcessHandle.current().pid());
        Instant started = age == null ? Instant.now() : Instant.now().minus(age);
        System.exit(new Cli(Home.fromEnvironment(System.getenv()), out, err, started).run(args));
    }

    /** {@code jpm daemon --home DIR} (or {@code --home=DIR}): runs until {@code jpm kill} or SIGTERM. */
    private static int daemon(String[] args) {
        String option = DAEMON_ROLE.get(1);
        String home = args.length == 3 && args[1].equals(option) ? args[2]
                : args.length == 2 && args[1].startsWith(option + "=") ? args[1].substring(option.length() + 1)
                : null;
        if (home == null) {
            System.err.println("jpm daemon: expected " + String.join(" ", DAEMON_ROLE) + " DIR; the CLI starts the daemon itself");
            return JpmExit.USAGE;
        }
        try {
            return new Daemon(new Home(Path.of(home))).run();
        } catch (IOException | RuntimeException e) {
            // Exit even so: the daemon's other threads must not keep a JVM alive that holds nothing.
            e.printStackTrace();
            return JpmExit.FAILED;
        }
    }
}
