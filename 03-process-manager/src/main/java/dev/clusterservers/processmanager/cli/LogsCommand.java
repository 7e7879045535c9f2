package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.JpmExit;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jpm logs [api] [--lines 15] [--nostream] [--deleted]}: PM2's {@code pm2 logs}. Prints
 * the last lines of each instance's stdout and stderr from before the command started, then
 * streams every line from then on until Ctrl-C, following each file across rotation
 * ({@link LogFollower}); with {@code --nostream}, the last lines there are, and exits. It reads the files in the home
 * directory directly, so it works even while the daemon is busy, and prefixes each line with
 * the instance, PM2's way ({@code 0|api | ...}). Only the instances the daemon holds are shown:
 * the files of deleted apps stay on disk until {@code --deleted} asks for them too.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print the last lines of each instance's stdout and stderr, then stream new ones until Ctrl-C.",
            "Only apps jpm holds now; --deleted adds the logs deleted apps left behind."})
final class LogsCommand extends ClientCommand {
    /** How often new lines are looked for. */
    static final Duration FOLLOW_POLL = Duration.ofMillis(200);
    /** How often the daemon is asked which instances it holds, to pick up scaled ones. */
    static final Duration HELD_REFRESH = Duration.ofSeconds(2);

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME|ID", description = "an app name or an instance id (default: all)")
    String target;

    @Option(names = "--lines", defaultValue = "15", description = "lines of each file from before the command to print first (default: ${DEFAULT-VALUE})")
    int lines;

    @Option(names = "--nostream", description = "print the last lines and exit (PM2's flag)")
    boolean noStream;

    @Option(names = {"-f", "--follow"}, description = "stream new lines (the default; for tail's users)")
    boolean follow;

    @Option(names = "--deleted", description = "also show the logs of apps jpm no longer holds")
    boolean deleted;

    /** "app/id" of every instance the daemon holds; null: every file counts. */
    private volatile Set<String> held;

    @Override
    public Integer call() throws IOException {
        if (!deleted && !refreshHeld(true)) {
            return JpmExit.NO_DAEMON;
        }
        try (LogFollower follower = new LogFollower(context.home.logs(), target,
                (app, id) -> held == null || held.contains(app + "/" + id), noStream ? null : context.started)) {
            Map<Path, String> files = follower.files();
            if (files.isEmpty()) {
                context.err.println("[jpm] no logs" + (target == null ? "" : " for " + target) + " in " + context.home.logs()
                        + (deleted ? "" : " of an app jpm holds (--deleted shows the others)")
                        + (noStream ? "" : "; waiting for some (Ctrl-C to stop)"));
                if (noStream) {
                    return JpmExit.FAILED;
                }
            }
            for (Map.Entry<Path, String> file : files.entrySet()) {
                context.out.println("==> " + file.getKey() + " <==");
                follower.tail(file.getKey(), file.getValue(), lines).forEach(context.out::println);
            }
            context.out.flush();
            long nextRefresh = System.nanoTime() + HELD_REFRESH.toNanos();
            while (!noStream && !Thread.currentThread().isInterrupted()) {
                DaemonClient.sleep(FOLLOW_POLL);
                if (!deleted && System.nanoTime() - nextRefresh >= 0) {
                    refreshHeld(false);
                    nextRefresh = System.nanoTime() + HELD_REFRESH.toNanos();
                }
                follower.newLines().forEach(context.out::println);
                context.out.flush();
            }
        }
        return JpmExit.OK;
    }

    /**
     * Asks the daemon which instances it holds, without starting one: with no daemon every file
     * is shown, with a note. False if the daemon could not answer at first.
     */
    private boolean refreshHeld(boolean first) {
        try {
            Reply reply = context.daemon().send(new Request.ListAll(), false);
            if (reply instanceof Reply.Done done) {
                held = done.processes().stream().map(p -> p.name() + "/" + p.id()).collect(Collectors.toCollection(
                        ConcurrentHashMap::newKeySet));
            }
            return true;
        } catch (DaemonClient.NoDaemon e) {
            if (first) {
                context.err.println("[jpm] no daemon is running in " + context.home.dir() + ": showing every log there");
            }
            held = null;
            return true;
        } catch (IOException e) {
            if (first) {
                context.err.println("jpm: " + e.getMessage());
            }
            return !first;
        }
    }
}
