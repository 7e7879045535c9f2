package dev.clusterservers.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stand-in CLI ({@code sh -c}) that takes a known time: the command's wall time must cover
 * it, and the CLI must see its home in the environment and write to the approach's log.
 */
class ManagerCommandIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aCommandIsTimedFromItsForkToItsExitWithItsHomeInTheEnvironment() throws Exception {
        Path log = dir.resolve("approach.log");

        long millis = ManagerCommand.run("fake", List.of("sh", "-c", "sleep 0.3; echo \"home=$FAKE_HOME $1\"", "sh"),
                Map.of("FAKE_HOME", dir.toString()), log, 10, "list");

        assertThat(millis).as("wall-clock ms").isBetween(290L, 10_000L);
        assertThat(Files.readString(log)).contains("home=" + dir + " list");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aCommandThatFailsFailsWithItsOutput() {
        Path log = dir.resolve("approach.log");

        assertThatThrownBy(() -> ManagerCommand.run("fake", List.of("sh", "-c", "echo no daemon; exit 3", "sh"), Map.of(), log, 10, "list"))
                .isInstanceOf(IOException.class).hasMessageContaining("fake list failed (3)").hasMessageContaining("no daemon");
    }
}
