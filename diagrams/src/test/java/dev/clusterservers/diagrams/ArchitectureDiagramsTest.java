package dev.clusterservers.diagrams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every architecture diagram renders, says what its lesson's README says it shows, and is
 * committed as rendered from its current source.
 */
class ArchitectureDiagramsTest {
    /** Tests run in the module's folder. */
    private static final Path DIRECTORY = Path.of("architecture");

    /** What each picture must show: the words a learner looks for in it. */
    private static final Map<String, List<String>> MUST_SHOW = Map.of(
            "01-share-ports-round-robin", List.of("master JVM", "holds LISTEN :8000", "master.sock", "SCM_RIGHTS",
                    "HandoffConnector", "no listening socket", "worker JVM 2"),
            "01-share-ports-shared", List.of("master JVM", "never accepts", "as fd 0 (inherited)", "dup2",
                    "one socket, one accept queue"),
            "01-share-ports-reuseport", List.of("master JVM", "holds no socket on :8000", "SO_REUSEPORT",
                    "reuse-port group", "setReusePort(true)"),
            "02-fork-server", List.of("master JVM", "Forwarder", "Policy", "PendingTable", "stdin", "stdout",
                    "child JVM 1", "16-byte header", "correlation id"),
            "03-process-manager-control", List.of("jpm CLI", "daemon JVM", "jpm.sock", "agent.sock",
                    "control link: hello, ready, app metrics", "logs/api-0-out.log", "-javaagent:jpm-agent.jar=cluster"),
            "03-process-manager-cluster", List.of("daemon JVM", "SharedListener", "one accept queue",
                    "never accepts", "fd 0", "SharedListenerPatch", "instance 0"),
            "03-process-manager-reuseport", List.of("daemon JVM", "NOT listening", "PortReservation", "SO_REUSEPORT",
                    "reuse-port group", "ReusePortPatch", "instance 0"),
            "04-beyond-one-machine-lab", List.of("LISTEN 127.0.0.1:8000", "haproxy", "haproxy.sock (0600)",
                    "NAME-br · 10.77.0.1/24", "namespace NAME-h1 · eth0 10.77.0.11", "namespace NAME-h3 · eth0 10.77.0.13",
                    "LISTEN 10.77.0.11:8080", "jpm daemon · JPM_HOME hosts/h1/jpm", "instance 1 · api",
                    "namespace NAME-db · eth0 10.77.0.2", "LISTEN 10.77.0.2:6379", "jpm reload api",
                    "set server api/h1 state drain | ready", "curl 127.0.0.1:8000"));

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static List<Path> sources() throws IOException {
        return ArchitectureDiagrams.sources(DIRECTORY);
    }

    @Test
    void everyLessonHasADiagramAndEveryDiagramIsChecked() throws IOException {
        List<String> names = sources().stream().map(ArchitectureDiagramsTest::name).toList();

        assertThat(names).containsExactlyInAnyOrderElementsOf(MUST_SHOW.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void eachSourceRendersToAnSvgThatShowsWhatItsLessonTeaches(Path source) throws IOException {
        String svg = ArchitectureDiagrams.render(source);

        assertThat(svg).startsWith("<svg").doesNotContain("Syntax Error").doesNotContain("plantuml-src");
        String words = String.join("\n", ArchitectureDiagrams.labels(svg));
        assertThat(words).contains(MUST_SHOW.get(name(source)));
    }

    /**
     * A byte-for-byte comparison would fail on a machine with other fonts (box sizes move);
     * the words and their order do not, and they change whenever a label, a box or an arrow
     * with a label is added, removed or edited.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void theCommittedSvgWasRenderedFromTheCurrentSource(Path source) throws IOException {
        Path committed = ArchitectureDiagrams.svgOf(source);
        assertThat(committed).as("run ./mvnw -q -pl diagrams compile exec:java and commit " + committed).exists();

        List<String> fresh = ArchitectureDiagrams.labels(ArchitectureDiagrams.render(source));
        List<String> onDisk = ArchitectureDiagrams.labels(Files.readString(committed, StandardCharsets.UTF_8));

        assertThat(onDisk).as(committed + " is older than its source: run ./mvnw -q -pl diagrams compile exec:java")
                .isEqualTo(fresh);
    }

    @Test
    void aSourceWithAMistakeFailsWithItsLineInsteadOfRenderingAnErrorPicture(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.puml");
        Files.writeString(broken, "@startuml\nnode a\na -[bogus]-> \n@enduml\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ArchitectureDiagrams.render(broken))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("broken.puml: line 3");
    }

    @Test
    void renderAllWritesEachSvgBesideItsSourceWithTheSharedSkin(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve(ArchitectureDiagrams.DIRECTORY));
        Files.copy(DIRECTORY.resolve("skin.iuml"), dir.resolve("skin.iuml"));
        Files.writeString(dir.resolve("tiny.puml"),
                "@startuml\n!include skin.iuml\nnode \"master JVM\" as m <<JVM process>>\n@enduml\n", StandardCharsets.UTF_8);

        List<Path> written = ArchitectureDiagrams.renderAll(root);

        assertThat(written).containsExactly(dir.resolve("tiny.svg"));
        String svg = Files.readString(dir.resolve("tiny.svg"), StandardCharsets.UTF_8);
        // The skin's colour for a process: the include was found from the source's own folder.
        assertThat(svg).contains("master JVM").containsIgnoringCase("#EEF4FB");
    }

    private static String name(Path source) {
        String file = source.getFileName().toString();
        return file.substring(0, file.length() - ".puml".length());
    }
}
