package dev.clusterservers.shareports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.ProcessTree;
import dev.clusterservers.plumbing.StartupArchive;
import dev.clusterservers.plumbing.Training;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real worker JVMs on JDK 17 and on JDK 25, each started from the archive its own JDK's
 * training run wrote, and each handed the other JDK's archive: what the JVM's own log
 * ({@code -Xlog:cds} on 17, {@code -Xlog:aot} on 25) says it mapped or refused. The jar is a
 * copy in a temporary folder, so the build's own archive is neither used nor touched.
 */
class StartupArchiveIT {
    static final Path JDK_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(300);

    @TempDir
    static Path folder;
    static Path jar;

    @BeforeAll
    static void trainOnBothJdks() throws Exception {
        boolean both = Files.isExecutable(java(JDK_17)) && Files.isExecutable(java(JDK_25));
        if (System.getenv("CI") == null) {
            assumeTrue(both, "needs JDK 17 at " + JDK_17 + " and Temurin 25 at " + JDK_25);
        }
        assertThat(both).as("JDK 17 at " + JDK_17 + " and Temurin 25 at " + JDK_25 + " (CI must have both)").isTrue();
        Path built = Path.of("target", "01-share-ports.jar");
        assertThat(built).as("the runnable jar (run after package)").isRegularFile();
        jar = Files.copy(built, folder.resolve("01-share-ports.jar"), StandardCopyOption.REPLACE_EXISTING);
        for (Path jdk : List.of(JDK_17, JDK_25)) {
            train(jdk);
            assertThat(StartupArchive.of(jar, jdk).file()).as("the archive the training on " + jdk + " wrote").isRegularFile();
        }
    }

    @Test
    void aWorkerOnJdk17StartsFromTheJdk17Archive() throws Exception {
        Path archive = StartupArchive.of(jar, JDK_17).file();
        String log = startWorker(JDK_17, StartupArchive.of(jar, JDK_17).useFlags(), "-Xlog:cds");
        assertThat(log).contains("Opened archive " + archive).contains("Mapped dynamic region")
                .doesNotContain("Unable to map shared spaces");
    }

    @Test
    void aWorkerOnJdk25StartsFromTheJdk25AotCache() throws Exception {
        Path cache = StartupArchive.of(jar, JDK_25).file();
        String log = startWorker(JDK_25, StartupArchive.of(jar, JDK_25).useFlags(), "-Xlog:aot");
        assertThat(log).contains("Opened AOT cache " + cache).containsPattern("Mapped static +region")
                .doesNotContain("Unable to use");
    }

    @Test
    void jdk17RefusesTheJdk25CacheAndServesWithoutIt() throws Exception {
        String log = startWorker(JDK_17, List.of("-XX:SharedArchiveFile=" + StartupArchive.of(jar, JDK_25).file()), "-Xlog:cds");
        assertThat(log).contains("The shared archive file has the wrong version").contains("Unable to map shared spaces");
    }

    @Test
    void jdk25RefusesTheJdk17ArchiveAndServesWithoutIt() throws Exception {
        String log = startWorker(JDK_25, List.of("-XX:AOTCache=" + StartupArchive.of(jar, JDK_17).file()), "-Xlog:aot");
        assertThat(log).contains("Cannot handle AOT cache version");
    }

    @Test
    void theNamesKeepEachJdkAwayFromTheOthersArchive() {
        assertThat(StartupArchive.of(jar, JDK_17).file()).isNotEqualTo(StartupArchive.of(jar, JDK_25).file());
        assertThat(StartupArchive.of(jar, JDK_17).file().toString()).endsWith(".jsa");
        assertThat(StartupArchive.of(jar, JDK_25).file().toString()).endsWith(".aot");
    }

    @Test
    void aRebuiltJarFindsNoArchiveAndStartsWithout() throws Exception {
        Path rebuilt = Files.createDirectories(folder.resolve("rebuilt")).resolve("01-share-ports.jar");
        Files.copy(jar, rebuilt);
        Files.write(rebuilt, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        Files.createDirectories(rebuilt.resolveSibling(StartupArchive.FOLDER));
        // The old archive, moved beside the changed jar under its old name: it must not be picked.
        Files.copy(StartupArchive.of(jar, JDK_25).file(), rebuilt.resolveSibling(StartupArchive.FOLDER)
                .resolve(StartupArchive.of(jar, JDK_25).file().getFileName()));
        assertThat(StartupArchive.of(rebuilt, JDK_25).exists()).isFalse();
        assertThat(StartupArchive.of(rebuilt, JDK_25).useFlags()).isEmpty();
    }

    /** Runs the build's training (the same class, the same arguments as 01's pom) on one JDK. */
    static void train(Path jdk) throws Exception {
        String plumbing = Path.of(Training.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> command = new ArrayList<>(List.of(java(jdk).toString(), "-cp", plumbing, Training.class.getName(),
                "--jar", jar.toString(), "--get", "/", "--"));
        command.addAll(ChildJvm.REQUIRED_FLAGS);
        command.addAll(List.of("-cp", jar.toString(), SharePorts.class.getName(),
                "--role", "WORKER", "--strategy", "reuseport", "--port", "{port}", "--worker-id", "1"));
        Process training = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve("training-" + jdk.getFileName() + ".out").toFile()).start();
        ProcessTree tree = new ProcessTree(training.toHandle());
        try {
            assertThat(training.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("training on " + jdk + " ends").isTrue();
        } finally {
            tree.stop(Duration.ZERO);
        }
    }

    /** Starts one reuse-port worker with these flags, waits until it serves, stops it; returns its output. */
    static String startWorker(Path jdk, List<String> archiveFlags, String logFlag) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(java(jdk).toString()));
        command.addAll(archiveFlags);
        command.add(logFlag);
        command.addAll(ChildJvm.REQUIRED_FLAGS);
        command.addAll(List.of("-cp", jar.toString(), SharePorts.class.getName(),
                "--role", "WORKER", "--strategy", "reuseport", "--port", Integer.toString(port)));
        Path out = Files.createTempFile(folder, "worker-", ".out");
        Process worker = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        ProcessTree tree = new ProcessTree(worker.toHandle());
        try {
            awaitHello(worker, port, out);
        } finally {
            tree.stop(Duration.ofSeconds(10));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static void awaitHello(Process worker, int port, Path out) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(worker.isAlive()).as("the worker is running; its output:%n%s", Files.readString(out)).isTrue();
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
                connection.setConnectTimeout(1_000);
                if (connection.getResponseCode() == 200) {
                    assertThat(new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("Hello from worker");
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the worker did not answer within " + READY_TIMEOUT + "; its output:\n" + Files.readString(out));
    }

    private static Path java(Path jdk) {
        return jdk.resolve("bin").resolve("java");
    }
}
