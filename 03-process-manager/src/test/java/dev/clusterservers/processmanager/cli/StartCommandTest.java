package dev.clusterservers.processmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.JpmExit;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import dev.clusterservers.processmanager.protocol.ProcessInfo.RestartRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code jpm start} in the CLI: a file it must refuse (no daemon starts), and what it says of instances that did not come up. */
class StartCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "nested 1,500 deep  | not valid JSON: nesting deeper than 32 levels",
        "instances -100     | apps[0].instances: -100 leaves no instance on this machine's",
        "not UTF-8          | not UTF-8: byte 0xE8 at offset 41 (line 2)"})
    void aFileItMustRefuseExitsWithBadConfigAndSaysWhyInTwoLines(String what, String why) throws IOException {
        Files.createFile(dir.resolve("api.jar"));
        Path file = dir.resolve("process.json");
        Files.write(file, switch (what) {
            case "nested 1,500 deep" -> ("{\"apps\":" + "[".repeat(1_500) + "]".repeat(1_500) + "}").getBytes(StandardCharsets.UTF_8);
            case "instances -100" -> "{\"apps\":[{\"script\":\"api.jar\",\"instances\":-100}]}".getBytes(StandardCharsets.UTF_8);
            default -> "{\"apps\":[{\"script\":\"api.jar\",\n \"name\":\"Crème\"}]}".getBytes(StandardCharsets.ISO_8859_1);
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Home home = new Home(dir.resolve("home"));

        int exit = new Cli(home, new PrintWriter(out), new PrintWriter(err)).run("start", file.toString());

        assertThat(exit).isEqualTo(JpmExit.BAD_CONFIG);
        assertThat(err.toString()).startsWith("[jpm] " + file + ": ").contains(why)
                .endsWith("[jpm] nothing was started\n").hasLineCount(2);
        assertThat(out.toString()).isEmpty();
        assertThat(home.controlSocket()).as("no daemon was started").doesNotExist();
    }

    @Test
    void everyInstanceOfTheStartedAppsThatIsNotOnlineIsNamedWithWhatItDoesInstead() {
        List<ProcessInfo> table = List.of(
                row(0, "api", "online", List.of()),
                row(1, "api", "launching", List.of()),
                row(2, "Crash", "waiting restart", List.of(new RestartRecord(0, "exit code 3", 100))),
                row(3, "Crash", "errored", List.of()),
                row(4, "other", "errored", List.of()));

        assertThat(StartCommand.notUp(List.of("api", "Crash"), table, Duration.ofSeconds(60))).containsExactly(
                "api 1 did not come up: still launching after 60 s (--wait gives it longer); see jpm logs api",
                "Crash 2 did not come up: it exited (exit code 3); jpm starts it again after a back-off, until max_restarts;"
                        + " see jpm logs Crash",
                "Crash 3 did not come up: errored; see jpm logs Crash");
    }

    @Test
    void appsWhoseInstancesAreAllOnlineHaveNothingToSay() {
        assertThat(StartCommand.notUp(List.of("api"), List.of(row(0, "api", "online", List.of())), Duration.ofSeconds(60)))
                .isEmpty();
    }

    private static ProcessInfo row(int id, String name, String status, List<RestartRecord> history) {
        return new ProcessInfo(id, name, "fork", 0, 0, history.size(), 0, status, 0, 0, "root", "/apps/" + name + ".java",
                "/apps", 0, "out.log", "err.log", null, List.of(), history, "128m", "jpm's default", 1, "jpm's default: 2 cores ÷ 2 instances");
    }
}
