package dev.clusterservers.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command of a process manager's CLI ({@code jpm start}, {@code pm2 kill}), run as its users
 * run it, to its end: against a home folder of its own (the manager's {@code *_HOME} variable),
 * its output appended to the approach's log, failing with that log when it fails or hangs. It
 * returns how long the command took on the wall clock, from before the fork to its exit: what a
 * user waits for at the prompt.
 */
final class ManagerCommand {
    private ManagerCommand() {
    }

    /**
     * @param name        how errors name the CLI ({@code jpm}, {@code pm2})
     * @param cli         the command that starts the CLI, before its arguments
     * @param environment added to this JVM's: at least the variable naming its home ({@code JPM_HOME}, {@code PM2_HOME})
     * @return wall-clock milliseconds from the fork to the exit
     */
    static long run(String name, List<String> cli, Map<String, String> environment, Path log, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(cli);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process = builder.start();
        String what = name + " " + String.join(" ", args);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(what + " did not finish in " + timeoutSeconds + " s");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (process.exitValue() != 0) {
            throw new IOException(what + " failed (" + process.exitValue() + "):\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return millis;
    }
}
