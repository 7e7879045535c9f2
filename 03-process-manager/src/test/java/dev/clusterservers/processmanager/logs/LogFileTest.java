package dev.clusterservers.processmanager.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

class LogFileTest {
    @TempDir
    Path dir;

    @Test
    void eachLineIsStampedWithTheTime() throws IOException {
        try (LogFile log = new LogFile(dir.resolve("api-0-out.log"), LogFile.MAX_BYTES)) {
            log.append("Worker created");
        }

        assertThat(Files.readString(dir.resolve("api-0-out.log")))
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} Worker created\\n");
    }

    @Test
    void aFullFileIsRotatedAndOnlyAFewOldOnesAreKept() throws IOException {
        Path path = dir.resolve("api-0-out.log");
        try (LogFile log = new LogFile(path, 100)) {
            for (int i = 0; i < 20; i++) {
                log.append("line " + i + " of a chatty app");
            }
        }

        assertThat(Files.size(path)).isLessThanOrEqualTo(100);
        assertThat(dir.resolve("api-0-out.log." + LogFile.KEEP)).exists();
        assertThat(dir.resolve("api-0-out.log." + (LogFile.KEEP + 1))).doesNotExist();
        assertThat(Files.readString(path)).contains("line 19");
    }
}
