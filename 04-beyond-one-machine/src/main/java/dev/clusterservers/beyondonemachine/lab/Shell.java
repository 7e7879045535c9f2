package dev.clusterservers.beyondonemachine.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system's own tools ({@code ip}, {@code haproxy}, {@code redis-server}, jpm), each to
 * its end with a time limit, and turns a failure into one sentence that names the command.
 * The lab is these tools joined together; this class is the joint.
 */
public final class Shell {
    /** No lab command should take longer; one that does is stuck, and is killed. */
    static final long DEFAULT_TIMEOUT_SECONDS = 120;

    private Shell() {
    }

    /** What a finished command printed and how it ended. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** A command that failed, with what it printed. */
    public static final class CommandFailed extends RuntimeException {
        CommandFailed(Result result) {
            super("`" + String.join(" ", result.command()) + "` failed (exit " + result.exitCode() + ")"
                    + (result.output().isBlank() ? "" : ": " + result.output().strip()));
        }
    }

    /** Runs a command and fails loudly if it fails. */
    public static String run(String... command) {
        Result result = tryRun(List.of(command), Map.of(), DEFAULT_TIMEOUT_SECONDS);
        if (!result.ok()) {
            throw new CommandFailed(result);
        }
        return result.output();
    }

    /** Runs a command inside a host's network namespace. */
    public static List<String> inNamespace(String namespace, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }

    /** Runs a command and returns how it went, for the caller to judge (a sweep expects failures). */
    public static Result tryRun(List<String> command, Map<String, String> env, long timeoutSeconds) {
        Path output = null;
        command = new ArrayList<>(command);
        command.set(0, resolve(command.get(0)));
        try {
            output = Files.createTempFile("lab-cmd", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                return new Result(command, -1, "did not finish within " + timeoutSeconds + " s; killed");
            }
            return new Result(command, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(command, -1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(command, -1, "interrupted");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file; the system's tmp cleaner will have it
                }
            }
        }
    }

    /** Whether a program is on the PATH, or in /usr/sbin or /sbin. */
    public static boolean onPath(String program) {
        return !resolve(program).equals(program) || program.contains("/");
    }

    /**
     * The program's absolute path: from the PATH, else from /usr/sbin or /sbin (Debian's root
     * PATH has them, a user's or sudo's may not, and haproxy and ip live there); else the name
     * as given, which then fails to start with the system's own message.
     */
    static String resolve(String program) {
        if (program.contains("/")) {
            return program;
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return program;
    }
}
