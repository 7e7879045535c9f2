package dev.clusterservers.processmanager.logs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

class DaemonLogTest {
    @TempDir
    Path dir;

    @Test
    void theDaemonsLogIsRotatedLikeTheAppsLogsAndNoLineIsCutInTwo() throws IOException {
        Path path = dir.resolve("daemon.log");
        try (PrintStream log = new PrintStream(new DaemonLog(path, 200), true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 30; i++) {
                log.print("12:00:00.000 INFO daemon - ");
                log.println("line " + i);
            }
        }

        assertThat(Path.of(path + "." + LogFile.KEEP)).exists();
        assertThat(Path.of(path + "." + (LogFile.KEEP + 1))).doesNotExist();
        List<String> lines = new ArrayList<>();
        for (int i = LogFile.KEEP; i >= 1; i--) {
            lines.addAll(Files.readAllLines(Path.of(path + "." + i)));
        }
        lines.addAll(Files.readAllLines(path));
        assertThat(lines).allMatch(line -> line.matches("12:00:00\\.000 INFO daemon - line \\d+"));
        assertThat(lines.get(lines.size() - 1)).endsWith("line 29");
        assertThat(Files.size(path)).isLessThanOrEqualTo(200);
    }
}
