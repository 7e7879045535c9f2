package dev.clusterservers.processmanager.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterservers.processmanager.daemon.LogFile;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** jpm pushed the way production pushes a process manager: no app output or client can hurt the daemon. */
@Timeout(180)
class UnderAbuseIT extends JpmInAPrivateHome {
    /** "yyyy-MM-dd HH:mm:ss.SSS " before every line the daemon writes. */
    static final int STAMP = 24;

    String app(String script, String args) {
        return "{\"apps\":[{\"script\":\"" + JpmHarness.APPS.resolve(script) + "\",\"args\":\"" + args
                + "\",\"jvm_args\":\"" + JpmHarness.TEST_JVM_ARGS + "\"}]}";
    }

    /** A log file and its rotated predecessors, oldest first. */
    static List<Path> withRotations(Path log) {
        List<Path> files = new ArrayList<>();
        for (int i = LogFile.KEEP; i >= 1; i--) {
            Path older = Path.of(log + "." + i);
            if (Files.exists(older)) {
                files.add(older);
            }
        }
        if (Files.exists(log)) {
            files.add(log);
        }
        return files;
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    static long textBytes(List<Path> files) {
        long bytes = 0;
        for (Path file : files) {
            try (var lines = Files.lines(file)) {
                bytes += lines.mapToLong(line -> line.length() - STAMP).sum();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bytes;
    }

    @Test
    void aTwentyMebibyteLineWithNoNewlineReachesTheLogAndHurtsNeitherTheDaemonNorTheApp() throws Exception {
        jpm.jpm("start", jpm.ecosystem(app("LongLine.java", "20")).toString()).expectOk();
        long pid = jpm.list().get(0).pid();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(read(jpm.home.errLog("LongLine", 0))).contains("LongLine: wrote 20 MiB"));

        ProcessInfo after = jpm.list().get(0);
        assertThat(after.pid()).as("the same process, never restarted").isEqualTo(pid);
        assertThat(after.status()).isEqualTo("online");
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(textBytes(withRotations(jpm.home.outLog("LongLine", 0)))).isEqualTo(20L << 20));
        assertThat(jpm.daemonLog()).doesNotContain("OutOfMemoryError").doesNotContain("Exception");
    }
}
