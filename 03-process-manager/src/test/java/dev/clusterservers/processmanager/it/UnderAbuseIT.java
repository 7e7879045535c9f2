package dev.clusterservers.processmanager.it;

import dev.clusterservers.processmanager.JpmExit;
import dev.clusterservers.processmanager.logs.LogFile;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    static int threads(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith("Threads:"))
                .mapToInt(line -> Integer.parseInt(line.substring("Threads:".length()).trim()))
                .findFirst().orElseThrow();
    }

    SocketChannel connect() throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(jpm.home.controlSocket()));
        return channel;
    }

    @Test
    void twoThousandIdleClientsAndAHalfRequestLeaveTheDaemonBoundedAndAnswering() throws Exception {
        jpm.jpm("list").expectOk();
        long daemon = Long.parseLong(Files.readString(jpm.home.daemonPidFile()).trim());
        int before = threads(daemon);
        List<SocketChannel> idle = new ArrayList<>();
        try (SocketChannel half = connect()) {
            half.write(ByteBuffer.wrap("{\"type\":\"li".getBytes(StandardCharsets.UTF_8)));
            for (int i = 0; i < 2_000; i++) {
                idle.add(connect());
            }

            assertThat(threads(daemon)).as("daemon threads with 2,001 clients connected, %d before", before)
                    .isLessThan(before + 100);
            JpmHarness.Result list = jpm.jpm("list");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains("│ id │");

            ByteBuffer reply = ByteBuffer.allocate(4096);
            while (half.read(reply) >= 0) {
                // Until the daemon gives up on the half request and closes.
            }
            assertThat(new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8))
                    .startsWith("{\"type\":\"failed\",\"error\":\"request timed out: no whole line within");
        } finally {
            for (SocketChannel channel : idle) {
                channel.close();
            }
        }
        assertThat(jpm.daemonLog().lines().filter(line -> line.contains("refused")).count())
                .as("refusals are logged now and then, not one line each").isBetween(1L, 5L);
    }

    @Test
    void aMessageTooLargeForTheControlSocketIsRefusedNamingTheLimitAndTheKey() throws Exception {
        Path file = jpm.ecosystem(app("LongLine.java", "x".repeat(2 << 20)));

        JpmHarness.Result start = jpm.jpm("start", file.toString());

        assertThat(start.code()).isEqualTo(JpmExit.BAD_CONFIG);
        assertThat(start.err()).contains("limit of 1.0 MiB (1048576 bytes)").contains("apps[0].args[0] (2.0 MiB)")
                .doesNotContain("Broken pipe");
    }

    @Test
    void aCommandThatFindsNoDaemonButSavedAppsSaysHowToGetThemBack() throws Exception {
        jpm.jpm("start", jpm.ecosystem(app("LongLine.java", "0")).toString()).expectOk();
        jpm.jpm("save").expectOk();
        long daemon = Long.parseLong(Files.readString(jpm.home.daemonPidFile()).trim());
        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jpm.processes()).isEmpty());

        JpmHarness.Result list = jpm.jpm("list").expectOk();

        assertThat(list.err()).contains("daemon was not running: started a new one; 'jpm resurrect' brings back 1 saved app");
        assertThat(jpm.jpm("list").err()).as("said once, by the command that started the daemon").isEmpty();
    }
}
