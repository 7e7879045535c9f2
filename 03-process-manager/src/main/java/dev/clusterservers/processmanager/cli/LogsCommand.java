package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.JpmExit;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jpm logs [api] [--lines 20] [--follow]}: reads the log files in the home directory
 * directly, so it works even while the daemon is busy, and prefixes each line with the
 * instance, PM2's way ({@code 0|api | ...}).
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the last lines of each instance's stdout and stderr; --follow streams new ones.")
final class LogsCommand extends ClientCommand {
    /** How often --follow looks for new lines. */
    static final Duration FOLLOW_POLL = Duration.ofMillis(200);

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME|ID", description = "an app name or an instance id (default: all)")
    String target;

    @Option(names = "--lines", defaultValue = "15", description = "lines of each file to print first (default: ${DEFAULT-VALUE})")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines until interrupted")
    boolean follow;

    @Override
    public Integer call() throws IOException {
        LogFollower follower = new LogFollower(context.home.logs(), target);
        Map<Path, String> files = follower.files();
        if (files.isEmpty()) {
            context.err.println("[jpm] no logs" + (target == null ? "" : " for " + target) + " in " + context.home.logs());
            return JpmExit.FAILED;
        }
        for (Map.Entry<Path, String> file : files.entrySet()) {
            context.out.println("==> " + file.getKey() + " <==");
            follower.tail(file.getKey(), file.getValue(), lines).forEach(context.out::println);
        }
        context.out.flush();
        while (follow && !Thread.currentThread().isInterrupted()) {
            DaemonClient.sleep(FOLLOW_POLL);
            follower.newLines().forEach(context.out::println);
            context.out.flush();
        }
        return JpmExit.OK;
    }
}
