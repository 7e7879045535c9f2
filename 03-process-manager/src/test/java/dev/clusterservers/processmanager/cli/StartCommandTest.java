package dev.clusterservers.processmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.JpmExit;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code jpm start} on a file it must refuse: checked in the CLI, so no daemon starts. */
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
}
