package dev.clusterservers.processmanager.it;

import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.JpmExit;
import dev.clusterservers.processmanager.config.EcosystemFile;
import dev.clusterservers.processmanager.protocol.JsonLines;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The daemon survives bad input, keeps its doors owner-only, and takes its apps with it when it dies. */
@Timeout(120)
class DaemonIT {
    @TempDir
    Path dir;
    JpmHarness jpm;

    @BeforeEach
    void aPrivateHome() {
        jpm = new JpmHarness(dir);
    }

    @AfterEach
    void stopEverything() {
        jpm.close();
    }

    /** Writes raw bytes to the control socket and returns what comes back. */
    String raw(String bytes, boolean waitForReply) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(jpm.home.controlSocket()));
            channel.write(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.UTF_8)));
            if (!waitForReply) {
                return "";
            }
            ByteBuffer reply = ByteBuffer.allocate(64 * 1024);
            while (channel.read(reply) >= 0) {
                // Until the daemon closes.
            }
            return new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theHomeDirectoryAndItsSocketsAreForTheOwnerOnly() throws Exception {
        jpm.jpm("list").expectOk();

        Set<PosixFilePermission> ownerOnlyDir = Home.OWNER_ONLY_DIR;
        assertThat(Files.getPosixFilePermissions(jpm.home.dir())).isEqualTo(ownerOnlyDir);
        assertThat(Files.getPosixFilePermissions(jpm.home.logs())).isEqualTo(ownerOnlyDir);
        assertThat(Files.getPosixFilePermissions(jpm.home.controlSocket())).isEqualTo(Home.OWNER_ONLY_FILE);
        assertThat(Files.getPosixFilePermissions(jpm.home.agentSocket())).isEqualTo(Home.OWNER_ONLY_FILE);
    }

    @Test
    void aMalformedRequestGetsAnErrorAndTheDaemonKeepsServing() throws Exception {
        jpm.jpm("list").expectOk();

        String notJson = raw("this is not json\n", true);
        String unknownVerb = raw("{\"type\":\"format-disk\"}\n", true);
        raw("{\"type\":\"stop\",\"tar", false);

        assertThat(notJson).startsWith("{\"type\":\"failed\",\"error\":\"malformed request:");
        assertThat(unknownVerb).startsWith("{\"type\":\"failed\",\"error\":\"malformed request:");
        assertThat(jpm.jpm("list").code()).isZero();
    }

    @Test
    void aCliThatGoesAwayMidCommandLeavesTheDaemonAndTheCommandWhole() throws Exception {
        int port = JpmHarness.freePort();
        jpm.jpm("list").expectOk();
        Path file = jpm.ecosystem("{\"apps\":[" + jpm.apiApp(1, port, "") + "]}");
        String start = "{\"type\":\"start\",\"apps\":" + JsonLines.JSON.writeValueAsString(EcosystemFile.read(file)) + "}\n";

        raw(start, false);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(jpm.list()).singleElement().satisfies(p -> assertThat(p.status()).isEqualTo("online")));
        assertThat(JpmHarness.get(port, "/")).startsWith("Hello from worker");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an unknown key     | {\"apps\":[{\"script\":\"X\",\"instance\":4}]}        | apps[0].instance: unknown key (did you mean \"instances\"?)",
        "a wrong type       | {\"apps\":[{\"script\":\"X\",\"instances\":[4]}]}     | apps[0].instances: expected a number",
        "a missing file     | {\"apps\":[{\"script\":\"missing.jar\"}]}             | apps[0].script: file not found:",
    })
    void aMalformedEcosystemFileIsNamedWithItsKeyAndNothingStarts(String what, String json, String message) throws Exception {
        Path file = jpm.ecosystem(json.replace("\"X\"", "\"" + JpmHarness.API_JAR + "\""));

        JpmHarness.Result result = jpm.jpm("start", file.toString());

        assertThat(result.code()).isEqualTo(JpmExit.BAD_CONFIG);
        assertThat(result.err()).contains(file + ": " + message).contains("nothing was started");
        assertThat(jpm.processes()).as("not even a daemon").isEmpty();
    }

    @Test
    void whenTheDaemonDiesItsAppsStopThemselves() throws Exception {
        int port = JpmHarness.freePort();
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(2, port, "") + "]}").toString()).expectOk();
        long daemon = Long.parseLong(Files.readString(jpm.home.daemonPidFile()).trim());
        assertThat(jpm.processes()).hasSize(3);

        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jpm.processes()).isEmpty());
    }
}
