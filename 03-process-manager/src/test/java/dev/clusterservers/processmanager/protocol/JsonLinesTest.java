package dev.clusterservers.processmanager.protocol;

import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.config.EcosystemFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonLinesTest {
    static String written(Object message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLines.write(out, message);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRequestIsOneLineOfJsonNamedByItsType() throws IOException {
        assertThat(written(new Request.Stop("api"))).isEqualTo("{\"type\":\"stop\",\"target\":\"api\"}\n");
        assertThat(written(new Request.ListAll())).isEqualTo("{\"type\":\"list\"}\n");
    }

    @Test
    void everyRequestSurvivesTheWire() throws IOException {
        for (Request request : new Request[] {new Request.Scale("api", "+2"), new Request.Kill(), new Request.Reload("all")}) {
            String line = written(request).strip();

            assertThat(JsonLines.parse(line, Request.class)).isEqualTo(request);
        }
    }

    @Test
    void theAgentsHandWrittenLinesParseAsAgentMessages() throws IOException {
        assertThat(JsonLines.parse("{\"type\":\"hello\",\"id\":3,\"pid\":4242,\"jvm\":\"17.0.13+11 (Eclipse Adoptium)\"}",
                AgentMessage.class)).isEqualTo(new AgentMessage.Hello(3, 4242, "17.0.13+11 (Eclipse Adoptium)"));
        assertThat(JsonLines.parse("{\"type\":\"ready\"}", AgentMessage.class)).isEqualTo(new AgentMessage.Ready());
    }

    @Test
    void anUnknownTypeOrKeyIsRefused() {
        assertThatThrownBy(() -> JsonLines.parse("{\"type\":\"format-disk\"}", Request.class)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JsonLines.parse("{\"type\":\"stop\",\"target\":\"api\",\"force\":true}", Request.class))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedInsteadOfBuffered() {
        byte[] endless = new byte[JsonLines.MAX_LINE_BYTES + 10];
        java.util.Arrays.fill(endless, (byte) 'x');

        assertThatThrownBy(() -> JsonLines.readLine(new ByteArrayInputStream(endless)))
                .isInstanceOf(IOException.class).hasMessageContaining("longer than");
    }

    @TempDir
    Path dir;

    AppSpec app(String keyAndValue) throws Exception {
        Files.createFile(dir.resolve("api.jar"));
        return new EcosystemFile("process.json", dir, 2).parse("{\"apps\":[{\"script\":\"api.jar\"," + keyAndValue + "}]}").get(0);
    }

    @Test
    void aMessageTooLargeForTheSocketIsRefusedNamingTheLimitAndTheKey() throws Exception {
        AppSpec app = app("\"args\":\"" + "x".repeat(2 << 20) + "\"");

        assertThatThrownBy(() -> JsonLines.encode(new Request.Start(List.of(app), Request.Start.DEFAULT_WAIT.toMillis())))
                .isInstanceOf(JsonLines.TooLarge.class)
                .hasMessageContaining("limit of 1.0 MiB (1048576 bytes)")
                .hasMessageContaining("most of it is apps[0].args[0] (2.0 MiB)");
    }

    @Test
    void manySmallValuesAreNamedByTheirList() throws Exception {
        AppSpec app = app("\"jvm_args\":\"" + "-Dx=0123456789 ".repeat(100_000) + "\"");

        assertThatThrownBy(() -> JsonLines.encode(new Request.Start(List.of(app), Request.Start.DEFAULT_WAIT.toMillis())))
                .hasMessageContaining("most of it is apps[0].jvm_args (");
    }
}
