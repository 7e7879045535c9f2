package dev.clusterservers.processmanager.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterservers.processmanager.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code jpm logs} streams what reaches the files, across rotations and long lines, and only for apps jpm holds. */
@Timeout(240)
class LogsIT extends JpmInAPrivateHome {
    /** {@code jpm logs ...} running in a thread of the test's JVM, as a terminal would run it until Ctrl-C. */
    final class Streaming implements AutoCloseable {
        final StringWriter out = new StringWriter();
        final Thread thread;

        Streaming(String... args) {
            this(Instant.now(), args);
        }

        /** {@code started}: when the command began, as the jpm script's process would have; its JVM takes a while to start. */
        Streaming(Instant started, String... args) {
            thread = new Thread(() -> new Cli(jpm.home, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), started)
                    .run(args), "jpm logs");
            thread.start();
        }

        String printed() {
            return out.toString();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    String app(String script, String args) {
        return "{\"apps\":[{\"script\":\"" + JpmHarness.APPS.resolve(script) + "\",\"args\":\"" + args
                + "\",\"jvm_args\":\"" + JpmHarness.TEST_JVM_ARGS + "\"}]}";
    }

    @Test
    void followingAcrossThreeRotationsShowsEveryNumberedLineInOrder() throws Exception {
        int count = 35_000;
        Path go = dir.resolve("go");
        jpm.jpm("start", jpm.ecosystem(app("Numbered.java", go + " " + count)).toString()).expectOk();

        try (Streaming logs = new Streaming("logs", "Numbered", "--lines", "0")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.printed().contains("Numbered-0-out.log <=="));
            Files.createFile(go);

            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> logs.printed().contains("line " + (count - 1) + " "));
            assertThat(jpm.home.outLog("Numbered", 0).resolveSibling("Numbered-0-out.log.3"))
                    .as("three rotations happened").exists();

            assertEveryNumberedLineInOrder(logs.printed(), count);
            assertThat(logs.printed().lines().filter(l -> l.startsWith("==> Numbered-0-out.log was rotated; now reading ")))
                    .as("each rotation is said once").hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void linesWrittenWhileTheLogsCommandWasStillStartingAreAllShown() throws Exception {
        int count = 35_000;
        Path go = dir.resolve("go");
        jpm.jpm("start", jpm.ecosystem(app("Numbered.java", go + " " + count)).toString()).expectOk();

        // The README's case without its `sleep 3`: the app writes everything (three rotations)
        // between the moment `jpm logs` was typed and its first look at the files.
        Instant typed = Instant.now();
        Files.createFile(go);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(jpm.home.errLog("Numbered", 0)).contains("wrote"));
        try (Streaming logs = new Streaming(typed, "logs", "Numbered", "--lines", "0")) {
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> logs.printed().contains("line " + (count - 1) + " "));

            assertEveryNumberedLineInOrder(logs.printed(), count);
            assertThat(logs.printed()).doesNotContain("may be missing");
        }
    }

    static void assertEveryNumberedLineInOrder(String printed, int count) {
        Matcher line = Pattern.compile("^0\\|Numbered \\| \\S+ \\S+ line (\\d+) x{1000}$", Pattern.MULTILINE).matcher(printed);
        int expected = 0;
        while (line.find()) {
            assertThat(Integer.parseInt(line.group(1))).as("the line after line %d", expected - 1).isEqualTo(expected);
            expected++;
        }
        assertThat(expected).isEqualTo(count);
    }

    @Test
    void followingGoesOnAfterAnEightMebibyteLine() throws Exception {
        try (Streaming logs = new Streaming("logs", "--lines", "0", "--deleted")) {
            jpm.jpm("start", jpm.ecosystem(app("LongLine.java", "8 tick")).toString()).expectOk();

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> logs.printed().contains("0|LongLine | ") && logs.printed().contains(" tick 3"));

            long digits = logs.printed().lines().filter(l -> l.startsWith("0|LongLine | "))
                    .map(l -> l.substring("0|LongLine | ".length() + 24))
                    .filter(text -> text.matches("[0-9]+")).mapToLong(String::length).sum();
            assertThat(digits).as("every byte of the 8 MiB line was shown").isEqualTo(8L << 20);
        }
    }

    @Test
    void logsOfDeletedAppsAreShownOnlyWhenAsked() throws Exception {
        jpm.jpm("start", jpm.ecosystem(app("LongLine.java", "0")).toString()).expectOk();
        await().atMost(Duration.ofSeconds(30)).until(() -> jpm.jpm("logs", "--nostream").out().contains("wrote 0 MiB"));
        jpm.jpm("delete", "LongLine").expectOk();

        JpmHarness.Result held = jpm.jpm("logs", "--nostream");
        JpmHarness.Result all = jpm.jpm("logs", "--nostream", "--deleted");

        assertThat(held.code()).isNotZero();
        assertThat(held.err()).contains("--deleted shows the others");
        assertThat(all.code()).isZero();
        assertThat(all.out()).contains("0|LongLine (err) | ").contains("LongLine: wrote 0 MiB");
        assertThat(List.of(held.out(), all.out())).noneMatch(out -> out.contains("Exception"));
    }
}
