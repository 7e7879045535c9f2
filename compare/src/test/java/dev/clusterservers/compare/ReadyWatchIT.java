package dev.clusterservers.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real process that says it is ready after a known pause: the watch must time it from the
 * process's own spawn, never less than the pause (which a clock mixed up with the wall clock,
 * or a spawn time read as whole seconds, would give).
 */
class ReadyWatchIT {
    private static final Pattern READY = Pattern.compile("Worker created, PID: (\\d+)");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aWorkerIsTimedFromItsSpawnToItsReadyLine() throws Exception {
        Path log = dir.resolve("worker.log");
        Process worker = new ProcessBuilder("sh", "-c", "sleep 0.4; echo \"Worker created, PID: $$ PORT: 0\"; sleep 20")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (ReadyWatch watch = new ReadyWatch(List.of(log), READY)) {
            while (watch.readyPids().isEmpty()) {
                Thread.sleep(ReadyWatch.POLL_MILLIS);
            }
            Map<Long, Long> millis = watch.spawnToReadyMillis();

            assertThat(watch.readyPids()).containsExactly(worker.pid());
            assertThat(millis.get(worker.pid())).as("spawn to ready, ms").isBetween(390L, 10_000L);
        } finally {
            worker.destroyForcibly().waitFor();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void linesInEveryFileOfAFolderCountAndALineIsCountedOnce() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        long self = ProcessHandle.current().pid();
        try (ReadyWatch watch = new ReadyWatch(List.of(logs), READY)) {
            Files.writeString(logs.resolve("api-0-out.log"), "starting\nWorker created, PID: " + self + " PORT: 1\n");
            Files.writeString(logs.resolve("api-1-err.log"), "Worker created, PID: 1 PORT: 1\nWorker created, PID: " + self + "\n");
            while (watch.readyPids().size() < 2) {
                Thread.sleep(ReadyWatch.POLL_MILLIS);
            }

            assertThat(watch.readyPids()).containsExactlyInAnyOrder(self, 1L);
        }
    }
}
