package dev.clusterservers.processmanager.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EcosystemFileTest {
    static final int CORES = 8;

    @TempDir
    Path dir;
    EcosystemFile file;

    @BeforeEach
    void aFolderWithAnAppJar() throws IOException {
        Files.createFile(dir.resolve("api.jar"));
        Files.createFile(dir.resolve("Hello.java"));
        Files.createDirectories(dir.resolve("lib"));
        file = new EcosystemFile("process.json", dir, CORES);
    }

    @Test
    void theTutorialsFileIsAcceptedAsItIs() throws ConfigException {
        List<AppSpec> apps = file.parse("{\"apps\":[{\"script\":\"api.jar\",\"instances\":\"4\",\"exec_mode\":\"cluster\"}]}");

        assertThat(apps).hasSize(1);
        AppSpec api = apps.get(0);
        assertThat(api.name()).isEqualTo("api");
        assertThat(api.instances()).isEqualTo(4);
        assertThat(api.execMode()).isEqualTo(ExecMode.CLUSTER);
        assertThat(api.port()).as("the tutorial's port, passed to the app as PORT").isEqualTo(8000);
        assertThat(api.script().kind()).isEqualTo(Script.Kind.JAR);
        assertThat(api.script().target()).isEqualTo(dir.resolve("api.jar").toString());
    }

    @Test
    void defaultsArePm2sExceptWhereAJvmNeedsMoreTime() throws ConfigException {
        AppSpec api = file.parse("{\"apps\":[{\"script\":\"api.jar\"}]}").get(0);

        assertThat(api.execMode()).isEqualTo(ExecMode.FORK);
        assertThat(api.instances()).isEqualTo(1);
        assertThat(api.hasPort()).isFalse();
        assertThat(api.autorestart()).isTrue();
        assertThat(api.maxRestarts()).isEqualTo(16);
        assertThat(api.minUptimeMs()).isEqualTo(1_000);
        assertThat(api.expBackoffRestartDelayMs()).isEqualTo(100);
        assertThat(api.killTimeoutMs()).isEqualTo(5_000);
        assertThat(api.listenTimeoutMs()).isEqualTo(30_000);
        assertThat(api.cwd()).isEqualTo(dir.toString());
    }

    @ParameterizedTest(name = "instances {0} on {1} cores is {2}")
    @CsvSource({"4, 8, 4", "'\"4\"', 8, 4", "'\"max\"', 8, 8", "0, 8, 8", "-1, 8, 7", "'\"-2\"', 8, 6", "-7, 8, 1"})
    void instancesFollowPm2sRules(String value, int cores, int expected) throws ConfigException {
        AppSpec api = new EcosystemFile("process.json", dir, cores)
                .parse("{\"apps\":[{\"script\":\"api.jar\",\"instances\":" + value + "}]}").get(0);

        assertThat(api.instances()).isEqualTo(expected);
    }

    @Test
    void aNegativeCountThatLeavesNoInstanceNamesTheKeyAndTheValuesAllowedOnThisMachine() {
        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"api.jar\",\"instances\":-100}]}"))
                .hasMessage("process.json: apps[0].instances: -100 leaves no instance on this machine's 8 cores;"
                        + " expected 1 to 64, \"max\" or 0 (one per core), or -1 to -7 (all cores but that many)");
        assertThatThrownBy(() -> new EcosystemFile("process.json", dir, 1)
                .parse("{\"apps\":[{\"script\":\"api.jar\",\"instances\":\"-1\"}]}"))
                .hasMessage("process.json: apps[0].instances: -1 leaves no instance on this machine's 1 core;"
                        + " expected 1 to 64, \"max\" or 0 (one per core)");
        assertThatThrownBy(() -> new EcosystemFile("process.json", dir, 2)
                .parse("{\"apps\":[{\"script\":\"api.jar\",\"instances\":-2}]}"))
                .hasMessage("process.json: apps[0].instances: -2 leaves no instance on this machine's 2 cores;"
                        + " expected 1 to 64, \"max\" or 0 (one per core), or -1 (all cores but one)");
    }

    @Test
    void durationsAndSizesMayCarryUnits() throws ConfigException {
        AppSpec api = file.parse("{\"apps\":[{\"script\":\"api.jar\",\"min_uptime\":\"2s\",\"kill_timeout\":1500,"
                + "\"listen_timeout\":\"1m\",\"max_memory_restart\":\"150M\"}]}").get(0);

        assertThat(api.minUptimeMs()).isEqualTo(2_000);
        assertThat(api.killTimeoutMs()).isEqualTo(1_500);
        assertThat(api.listenTimeoutMs()).isEqualTo(60_000);
        assertThat(api.maxMemoryRestartBytes()).isEqualTo(150L << 20);
    }

    @Test
    void aSingleFileProgramAndAMainClassWithAClasspathAreScriptsToo() throws ConfigException {
        List<AppSpec> apps = file.parse("{\"apps\":[{\"script\":\"Hello.java\"},"
                + "{\"script\":\"com.example.Api\",\"classpath\":[\"lib/*\"]}]}");

        assertThat(apps.get(0).script().kind()).isEqualTo(Script.Kind.SOURCE_FILE);
        assertThat(apps.get(0).name()).isEqualTo("Hello");
        assertThat(apps.get(1).script().kind()).isEqualTo(Script.Kind.MAIN_CLASS);
        assertThat(apps.get(1).script().launchArguments()).containsExactly("-cp", dir.resolve("lib") + "/*", "com.example.Api");
        assertThat(apps.get(1).name()).isEqualTo("api");
    }

    @Test
    void anUnknownKeyIsNamedWithTheKeyMeantAndTheFile() {
        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"api.jar\",\"instance\":4}]}"))
                .hasMessage("process.json: apps[0].instance: unknown key (did you mean \"instances\"?)");
    }

    @Test
    void aWrongTypeNamesTheKeyAndWhatWasExpected() {
        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"api.jar\",\"instances\":true}]}"))
                .hasMessage("process.json: apps[0].instances: expected a number, a numeric string or \"max\", got true");
        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"api.jar\",\"autorestart\":\"yes\"}]}"))
                .hasMessage("process.json: apps[0].autorestart: expected true or false, got \"yes\"");
        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"api.jar\",\"exec_mode\":\"threads\"}]}"))
                .hasMessage("process.json: apps[0].exec_mode: expected \"cluster\" or \"fork\", got \"threads\"");
    }

    @Test
    void aMissingFileIsNamedWithItsFullPath() {
        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"missing.jar\"}]}"))
                .hasMessage("process.json: apps[0].script: file not found: " + dir.resolve("missing.jar"));
    }

    @Test
    void aNodeScriptIsNotMistakenForAJavaOne() throws IOException {
        Files.createFile(dir.resolve("api.js"));

        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"api.js\"}]}"))
                .hasMessageContaining("apps[0].script: 'api.js' is not a .jar, a .java file or a main class");
    }

    @Test
    void aMainClassWithoutAClasspathSaysWhatIsMissing() {
        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"com.example.Api\"}]}"))
                .hasMessageContaining("looks like a main class: give the \"classpath\"");
    }

    @Test
    void forkModeRefusesSeveralInstancesOnOnePort() {
        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"api.jar\",\"instances\":2,\"port\":8000}]}"))
                .hasMessageContaining("apps[0].exec_mode: fork mode would start 2 processes that each bind port 8000");
    }

    @Test
    void twoAppsMayNotShareAName() {
        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"api.jar\"},{\"script\":\"api.jar\"}]}"))
                .hasMessage("process.json: apps[1].name: two apps are named 'api'");
    }

    @Test
    void brokenJsonSaysWhereItBroke() {
        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"api.jar\",}]}"))
                .hasMessageStartingWith("process.json: not valid JSON:")
                .hasMessageContaining("(line 1)");
    }

    @Test
    void jsonNestedDeeperThanAnEcosystemFileNeedsIsRefusedWithTheLimit() {
        String deep = "[".repeat(1_500) + "]".repeat(1_500);

        assertThatThrownBy(() -> file.parse("{\"apps\":" + deep + "}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("process.json: not valid JSON: nesting deeper than 32 levels (an ecosystem file needs four)");
    }

    @Test
    void aFileThatIsNotUtf8IsNamedWithTheOffsetOfTheFirstByteThatIsNot() throws IOException {
        Path latin1 = dir.resolve("latin1.json");
        // "Crème" in ISO-8859-1: the è is the single byte 0xE8, which cannot start a UTF-8 character there.
        Files.write(latin1, "{\"apps\":[{\"script\":\"api.jar\",\n \"name\":\"Crème\"}]}".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> EcosystemFile.read(latin1))
                .hasMessage(latin1 + ": not UTF-8: byte 0xE8 at offset 41 (line 2) is not part of a UTF-8 character;"
                        + " save the file as UTF-8");
    }

    @Test
    void aFileThatIsNotThereIsNamed() {
        assertThatThrownBy(() -> EcosystemFile.read(dir.resolve("nope.json")))
                .hasMessage(dir.resolve("nope.json") + ": file not found");
    }

    @Test
    void portFromTheCommandLineReplacesTheOneAppsPort() throws ConfigException {
        AppSpec api = file.parse("{\"apps\":[{\"script\":\"api.jar\",\"instances\":\"4\",\"exec_mode\":\"cluster\","
                + "\"port\":8000}]}", 18080).get(0);

        assertThat(api.port()).as("jpm start process.json --port 18080").isEqualTo(18080);
    }

    @Test
    void portFromTheCommandLineIsRefusedForAFileOfSeveralApps() {
        assertThatThrownBy(() -> file.parse("{\"apps\":[{\"script\":\"api.jar\"},{\"script\":\"Hello.java\"}]}", 18080))
                .isInstanceOf(ConfigException.class)
                .hasMessage("process.json: apps: --port gives one app a port, and this file has 2; set \"port\" in each app instead");
    }
}
