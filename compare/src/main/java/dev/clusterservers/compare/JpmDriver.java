package dev.clusterservers.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lesson 03's {@code jpm}, driven the way a learner drives it: one {@code java -jar
 * 03-process-manager.jar VERB} process per command, against a jpm home of its own (a
 * temporary {@code JPM_HOME}), so the comparison never touches the learner's {@code ~/.jpm}.
 * The one command whose time the comparison reports, {@code list}, goes through the launcher
 * script a learner types ({@code 03-process-manager/jpm}), start-up archive and all. Named
 * for what it does here, so that it is not taken for lesson 03's own main class, {@code Jpm}.
 */
public final class JpmDriver {
    static final String APP = "api";
    private static final long COMMAND_TIMEOUT_SECONDS = 180;

    private final Lessons lessons;
    private final Path home;
    private final Path log;
    /** The {@code java} of jpm's commands; the daemon they start, and its instances, run on it too. */
    private final String java;

    private JpmDriver(Lessons lessons, Path home, Path log, String java) {
        this.lessons = lessons;
        this.home = home;
        this.log = log;
        this.java = java;
    }

    /** A jpm of its own on the JDK of {@code java}: a fresh {@code JPM_HOME}, no daemon yet. */
    static JpmDriver create(Lessons lessons, Path log, String java) throws IOException {
        return new JpmDriver(lessons, Files.createTempDirectory("compare-jpm-").resolve("home"), log, java);
    }

    /** {@code jpm start process.json} with N cluster-mode instances of the example app on {@code port}. */
    void startCluster(int instances, int port) throws IOException, InterruptedException {
        Path file = home.resolveSibling("process.json");
        Files.writeString(file, "{\"apps\":[{\"name\":\"" + APP + "\",\"script\":\"" + lessons.api() + "\",\"instances\":" + instances
                + ",\"exec_mode\":\"cluster\",\"port\":" + port + ",\"jvm_args\":\"" + String.join(" ", Servers.SERVER_JVM_FLAGS) + "\"}]}");
        run("start", file.toString());
    }

    /** Where each instance's output goes: {@code api-N-out.log}, {@code api-N-err.log}. */
    Path logs() {
        return home.resolve("logs");
    }

    /** Zero downtime: one instance at a time, each replacement ready before the old one stops. */
    public void reload() throws IOException, InterruptedException {
        run("reload", APP);
    }

    /** Stop every instance, then start them again: the outage reload avoids. */
    public void restart() throws IOException, InterruptedException {
        run("restart", APP);
    }

    /**
     * {@code 03-process-manager/jpm list}; returns its wall-clock milliseconds. The launcher runs
     * the {@code java} named by {@code JAVA}: the cluster's own.
     */
    long list() throws IOException, InterruptedException {
        return ManagerCommand.run("jpm", List.of(lessons.jpmLauncher().toString()),
                Map.of("JPM_HOME", home.toString(), "JAVA", java), log, COMMAND_TIMEOUT_SECONDS, "list");
    }

    /** Runs one jpm command to its end; its output goes to the log. */
    void run(String... args) throws IOException, InterruptedException {
        ManagerCommand.run("jpm", List.of(java, "-jar", lessons.jpm().toString()), Map.of("JPM_HOME", home.toString()),
                log, COMMAND_TIMEOUT_SECONDS, args);
    }

    /** The running daemon, from the pid file it writes before it answers. */
    ProcessHandle daemon() throws IOException {
        long pid = Long.parseLong(Files.readString(home.resolve("daemon.pid")).trim());
        return ProcessHandle.of(pid).orElseThrow(() -> new IOException("jpm's daemon " + pid + " is not running"));
    }

    /** {@code jpm kill}: every app and the daemon. The caller SIGKILLs whatever it saw if this fails. */
    void kill() {
        try {
            // Without a daemon there is nothing to kill, and no need to start one to say so.
            if (Files.exists(home.resolve("daemon.pid"))) {
                run("kill");
            }
        } catch (IOException e) {
            System.err.println("jpm kill failed, killing its processes: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void deleteHome() {
        try (Stream<Path> files = Files.walk(home.getParent())) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temp folder left behind is harmless.
        }
    }
}
