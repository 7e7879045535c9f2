package dev.clusterservers.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One command of a process manager's CLI ({@code jpm start}, {@code pm2 kill}), run as its users
 * run it, to its end: against a home folder of its own (the manager's {@code *_HOME} variable),
 * its output appended to the approach's log, failing with that log when it fails or hangs.
 */
final class ManagerCommand {
    private ManagerCommand() {
    }

    /**
     * @param name    how errors name the CLI ({@code jpm}, {@code pm2})
     * @param cli     the command that starts the CLI, before its arguments
     * @param homeVar the environment variable naming its home ({@code JPM_HOME}, {@code PM2_HOME})
     */
    static void run(String name, List<String> cli, String homeVar, Path home, Path log, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(cli);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put(homeVar, home.toString());
        Process process = builder.start();
        String what = name + " " + String.join(" ", args);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(what + " did not finish in " + timeoutSeconds + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(what + " failed (" + process.exitValue() + "):\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
