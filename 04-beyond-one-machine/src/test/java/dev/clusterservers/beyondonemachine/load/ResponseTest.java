package dev.clusterservers.beyondonemachine.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseTest {
    private static InputStream wire(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void anAnswerSaysWhichHostAndReleaseGaveIt() throws Exception {
        InputStream in = wire("HTTP/1.1 200 OK\r\nX-Lab-Host: h2\r\nX-Release: v3\r\nContent-Length: 5\r\n\r\nhello"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        LoadClient.Response first = LoadClient.Response.read(in);
        assertThat(first).isEqualTo(new LoadClient.Response(200, "h2", "v3", false));
        // The body was read whole: the next answer on the connection starts where it should.
        assertThat(LoadClient.Response.read(in).status()).isEqualTo(200);
    }

    @Test
    void haproxysOwnErrorPageClosesTheConnection() throws Exception {
        LoadClient.Response response = LoadClient.Response.read(wire(
                "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 4\r\nconnection: close\r\n\r\nnope"));
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.close()).isTrue();
        assertThat(Outcome.ofStatus(response.status())).isEqualTo(Outcome.STATUS_5XX);
    }

    @Test
    void aChunkedBodyIsReadToItsLastChunk() throws Exception {
        InputStream in = wire("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
        assertThat(LoadClient.Response.read(in).status()).isEqualTo(200);
        assertThat(LoadClient.Response.read(in).status()).isEqualTo(204);
    }

    @Test
    void aConnectionThatEndsBeforeTheStatusLineIsNoResponse() throws Exception {
        assertThat(LoadClient.Response.read(wire(""))).isNull();
    }

    @Test
    void aBodyCutShortIsAnError() {
        assertThatThrownBy(() -> LoadClient.Response.read(wire("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort")))
                .isInstanceOf(EOFException.class);
    }
}
