package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.logs.LogFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code jpm logs} reads, with the daemon's own {@link LogFile} writing and rotating small
 * files: every line stamped from the command's start on, wherever rotation has put it.
 */
class LogFollowerTest {
    /** About a dozen of this test's lines per file, so a few dozen lines rotate a few times. */
    static final int SMALL_FILE = 400;
    static final String PREFIX = "0|api | ";

    @TempDir
    Path dir;

    Path out() {
        return dir.resolve("api-0-out.log");
    }

    LogFollower follower(Instant since) {
        return new LogFollower(dir, null, (app, id) -> true, since);
    }

    static void write(LogFile log, String word, int count) {
        for (int i = 0; i < count; i++) {
            log.append(word + " " + i);
        }
    }

    /** The instant between two lines' stamps, which count in milliseconds. */
    static Instant aMomentLater() throws InterruptedException {
        Thread.sleep(5);
        Instant now = Instant.now();
        Thread.sleep(5);
        return now;
    }

    static List<String> texts(List<LogFollower.Line> lines) {
        return lines.stream().filter(l -> !l.isNotice()).map(l -> l.text().substring(24)).toList();
    }

    static List<String> numbered(String word, int count) {
        return IntStream.range(0, count).mapToObj(i -> word + " " + i).toList();
    }

    @Test
    void linesWrittenAfterTheCommandStartedButBeforeItsFirstLookAreAllShownAcrossTheirRotations() throws Exception {
        try (LogFile log = new LogFile(out(), SMALL_FILE)) {
            write(log, "before", 5);
            Instant commandStarted = aMomentLater();
            // The logs JVM is still starting: the app writes on, and the file rotates twice.
            write(log, "after", 20);
            assertThat(dir.resolve("api-0-out.log.2")).exists();

            try (LogFollower logs = follower(commandStarted)) {
                List<LogFollower.Line> tail = logs.tail(out(), PREFIX, 0);
                List<LogFollower.Line> streamed = logs.newLines();

                assertThat(tail).as("--lines 0: nothing from before").isEmpty();
                assertThat(texts(streamed)).as("every line from the start of the command, in order")
                        .isEqualTo(numbered("after", 20));
            }
        }
    }

    @Test
    void asManyLinesFromBeforeTheCommandAsLinesSaysAndNoneShownTwice() throws Exception {
        try (LogFile log = new LogFile(out(), SMALL_FILE)) {
            write(log, "before", 5);
            Instant commandStarted = aMomentLater();
            write(log, "after", 3);

            try (LogFollower logs = follower(commandStarted)) {
                List<LogFollower.Line> tail = logs.tail(out(), PREFIX, 2);
                List<LogFollower.Line> streamed = new ArrayList<>(logs.newLines());
                write(log, "later", 2);
                streamed.addAll(logs.newLines());

                assertThat(texts(tail)).containsExactly("before 3", "before 4");
                assertThat(tail).allSatisfy(line -> assertThat(line.prefix()).isEqualTo(PREFIX));
                assertThat(texts(streamed)).containsExactly("after 0", "after 1", "after 2", "later 0", "later 1");
            }
        }
    }

    @Test
    void aFileThatAppearsAfterTheFirstLookIsReadFromItsOldestRotatedFile() throws Exception {
        try (LogFollower logs = follower(aMomentLater())) {
            assertThat(logs.files()).isEmpty();
            // An app started with the command: its file appears, and rotates, before the next look.
            try (LogFile log = new LogFile(out(), SMALL_FILE)) {
                write(log, "line", 30);
            }

            assertThat(texts(logs.newLines())).isEqualTo(numbered("line", 30));
        }
    }

    @Test
    void whenRotationsOutrunTheReaderItSaysWhichSpanOfTimeMayBeMissing() throws Exception {
        try (LogFile log = new LogFile(out(), SMALL_FILE); LogFollower logs = follower(aMomentLater())) {
            write(log, "line", 1);
            logs.tail(out(), PREFIX, 0);
            assertThat(texts(logs.newLines())).containsExactly("line 0");

            // Ten rotations before the next look: only the newest files are kept.
            write(log, "burst", 120);
            List<LogFollower.Line> lines = logs.newLines();

            List<LogFollower.Line> notices = lines.stream().filter(l -> l.isNotice() && l.text().contains("faster")).toList();
            assertThat(notices).singleElement().extracting(LogFollower.Line::text).asString().matches(
                    "==> api-0-out\\.log was rotated faster than it was read: lines the daemon read between \\d{4}-\\S+ \\S+"
                            + " and \\d{4}-\\S+ \\S+ may be missing; now reading .*api-0-out\\.log\\.3 <==");
            int notice = lines.indexOf(notices.get(0));
            List<String> held = texts(lines.subList(0, notice));
            List<String> kept = texts(lines.subList(notice + 1, lines.size()));
            assertThat(held).as("the rest of the file held open, though rotated away").isEqualTo(numbered("burst", held.size()));
            assertThat(kept).as("the files still kept, in order, to the last line").isNotEmpty()
                    .isEqualTo(numbered("burst", 120).subList(120 - kept.size(), 120));
            assertThat(held.size() + kept.size()).as("what the notice is about").isLessThan(120);
        }
    }
}
