package dev.clusterservers.processmanager.logs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

class OutputPumpTest {
    /** "yyyy-MM-dd HH:mm:ss.SSS " */
    static final int STAMP = 24;

    @TempDir
    Path dir;

    List<String> pump(String output) throws IOException {
        Path path = dir.resolve("app-0-out.log");
        try (LogFile log = new LogFile(path, Long.MAX_VALUE)) {
            OutputPump.copy(new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)), log);
        }
        return Files.readAllLines(path).stream().map(line -> line.substring(STAMP)).toList();
    }

    @Test
    void shortLinesAreWrittenOneEachWithoutTheirLineEnd() throws IOException {
        assertThat(pump("one\ntwo\r\nthree")).containsExactly("one", "two", "three");
    }

    @Test
    void aLineLongerThanTheLimitIsWrittenInPiecesWithEveryByteKept() throws IOException {
        String huge = "é".repeat(100_000) + "x".repeat(50_001);

        List<String> lines = pump(huge + "\nafter\n");

        assertThat(lines).hasSizeGreaterThan(3).last().isEqualTo("after");
        List<String> pieces = lines.subList(0, lines.size() - 1);
        assertThat(pieces).allSatisfy(piece ->
                assertThat(piece.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(OutputPump.MAX_LINE_BYTES));
        assertThat(String.join("", pieces)).as("no character split, none lost").isEqualTo(huge);
    }

    @Test
    void aCutNeverFallsInsideACharacter() {
        byte[] bytes = "aé".getBytes(StandardCharsets.UTF_8);

        assertThat(OutputPump.characterBoundary(bytes, 2)).isEqualTo(1);
        assertThat(OutputPump.characterBoundary(bytes, 3)).isEqualTo(3);
    }
}
