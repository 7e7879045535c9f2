package dev.clusterservers.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * PM2, the process manager the tutorial's third section uses, driven as its users drive it:
 * {@code pm2 start process.json}, {@code pm2 list}, then {@code pm2 kill}. The version is pinned in
 * {@code compare/node/package.json} and installed there by {@code npm ci}; every run gets a
 * {@code PM2_HOME} of its own under {@code compare/target/}, so a learner's {@code ~/.pm2}
 * and its daemon are never touched.
 */
final class Pm2 {
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final Path home;
    private final Path log;
    private final Lessons lessons;
    /**
     * PM2's daemon leaves our session at once, before anyone knows its pid: if this JVM is
     * stopped while {@code pm2 start} runs (Ctrl-C), this hook still finds it by its pid file.
     */
    private final Thread onJvmExit = new Thread(this::killDaemonAndInstances, "pm2-cleanup");

    private Pm2(Lessons lessons, Path home, Path log) {
        this.lessons = lessons;
        this.home = home;
        this.log = log;
        Runtime.getRuntime().addShutdownHook(onJvmExit);
    }

    /** The pinned PM2, once {@code npm ci} has run in {@code compare/node}. */
    static Path binary(Lessons lessons) {
        return lessons.nodeOriginals().resolve("node_modules/pm2/bin/pm2");
    }

    static boolean installed(Lessons lessons) {
        return Files.isRegularFile(binary(lessons));
    }

    /** A PM2 of its own: a fresh {@code PM2_HOME} under {@code compare/target/}, no daemon yet. */
    static Pm2 create(Lessons lessons, Path log) throws IOException {
        if (!installed(lessons)) {
            throw new IOException("PM2 is not installed: run `npm ci` in " + lessons.nodeOriginals() + " (./compare/run does)");
        }
        Path target = lessons.root().resolve("compare/target");
        Files.createDirectories(target);
        return new Pm2(lessons, Files.createTempDirectory(target, "pm2-home-"), log);
    }

    /**
     * {@code pm2 start} on the tutorial's {@code process.json}, given the instance count and
     * port of this configuration ({@code instances}, {@code env.PORT}) and the script's full path.
     */
    void startCluster(int instances, int port) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode file = (ObjectNode) json.readTree(lessons.nodeOriginals().resolve("process.json").toFile());
        ObjectNode app = (ObjectNode) file.path("apps").path(0);
        app.put("script", lessons.nodeOriginals().resolve(app.path("script").asText()).toString());
        app.put("instances", instances);
        app.putObject("env").put("PORT", Integer.toString(port));
        Path ecosystem = home.resolve("process.json");
        json.writeValue(ecosystem.toFile(), file);
        run("start", ecosystem.toString());
    }

    /** Where PM2 writes each instance's output: {@code api-out-N.log}, {@code api-error-N.log}. */
    Path logs() {
        return home.resolve("logs");
    }

    /** PM2's daemon ("God"), which forks the instances with Node's cluster module: they are its children. */
    ProcessHandle daemon() throws IOException {
        long pid = Long.parseLong(Files.readString(home.resolve("pm2.pid")).trim());
        return ProcessHandle.of(pid).orElseThrow(() -> new IOException("PM2's daemon " + pid + " is not running"));
    }

    /** {@code pm2 list}, the table of instances its daemon keeps; returns its wall-clock milliseconds. */
    long list() throws IOException, InterruptedException {
        return run("list");
    }

    private long run(String... args) throws IOException, InterruptedException {
        return ManagerCommand.run("pm2", List.of("node", binary(lessons).toString()), Map.of("PM2_HOME", home.toString()), log,
                COMMAND_TIMEOUT_SECONDS, args);
    }

    /** {@code pm2 kill}: every instance and the daemon. The caller SIGKILLs whatever it saw if this fails. */
    void kill() {
        try {
            if (Files.exists(home.resolve("pm2.pid"))) {
                run("kill");
            }
        } catch (IOException e) {
            System.err.println("pm2 kill failed, killing its processes: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onJvmExit);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or has run.
        }
    }

    private void killDaemonAndInstances() {
        try {
            ProcessHandle daemon = daemon();
            daemon.descendants().forEach(ProcessHandle::destroyForcibly);
            daemon.destroyForcibly();
        } catch (IOException | RuntimeException e) {
            // No daemon yet, or already gone.
        }
    }

    void deleteHome() {
        try (Stream<Path> files = Files.walk(home)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A folder left under target/ is harmless; ./mvnw clean removes it.
        }
    }
}
