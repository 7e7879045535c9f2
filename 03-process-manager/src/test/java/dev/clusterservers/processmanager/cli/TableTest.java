package dev.clusterservers.processmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
    static ProcessInfo row(int id, long pid, String status, long memory) {
        return new ProcessInfo(id, "api", "cluster", pid, 75_000, 2, 0, status, 12.0, memory, "alice",
                "/api.jar", "/", 8000, "/out", "/err", null, List.of(), List.of(), "128m", "jpm's default", 1, "jpm's default: 2 cores ÷ 2 instances");
    }

    @Test
    void theTableHasPm2sColumnsInPm2sOrder() {
        String table = Table.render(List.of(row(0, 4321, "online", 90L << 20)));

        assertThat(table.lines().toList().get(1).replaceAll("\\s+", " "))
                .isEqualTo("│ id │ name │ mode │ pid │ uptime │ ↺ │ status │ cpu │ mem │ heap │ user │");
        assertThat(table.lines().toList().get(3).replaceAll("\\s+", " "))
                .isEqualTo("│ 0 │ api │ cluster │ 4321 │ 1m │ 2 │ online │ 12% │ 90.0mb │ 128m │ alice │");
    }

    @Test
    void everyLineOfTheTableHasTheSameWidth() {
        String table = Table.render(List.of(row(0, 4321, "online", 90L << 20), row(11, 0, "waiting restart", 0)));

        assertThat(table.lines().map(String::length).distinct()).hasSize(1);
        assertThat(table.lines()).hasSize(6);
    }

    @Test
    void anInstanceWithoutAProcessShowsZeroesLikePm2() {
        String line = Table.render(List.of(row(3, 0, "stopped", 0))).lines().toList().get(3).replaceAll("\\s+", " ");

        assertThat(line).isEqualTo("│ 3 │ api │ cluster │ 0 │ 0 │ 2 │ stopped │ 12% │ 0b │ 128m │ alice │");
    }

    @Test
    void uptimeAndMemoryAreWrittenAsPm2WritesThem() {
        assertThat(Table.duration(45_000)).isEqualTo("45s");
        assertThat(Table.duration(12 * 60_000)).isEqualTo("12m");
        assertThat(Table.duration(3 * 3_600_000)).isEqualTo("3h");
        assertThat(Table.duration(2 * 86_400_000L)).isEqualTo("2D");
        assertThat(Table.memory(512)).isEqualTo("512b");
        assertThat(Table.memory(1536)).isEqualTo("1.5kb");
        assertThat(Table.memory(85L << 20)).isEqualTo("85.0mb");
        assertThat(Table.memory(3L << 30)).isEqualTo("3.0gb");
        assertThat(Table.cpu(3.14)).isEqualTo("3.1%");
        assertThat(Table.cpu(87.6)).isEqualTo("88%");
    }
}
