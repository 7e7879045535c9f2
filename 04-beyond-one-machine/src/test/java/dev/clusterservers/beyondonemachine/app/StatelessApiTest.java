package dev.clusterservers.beyondonemachine.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The app alone, in this JVM, with its Redis on a port where nothing listens. */
class StatelessApiTest {
    private Javalin app;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        int nothingThere;
        try (ServerSocket socket = new ServerSocket(0)) {
            nothingThere = socket.getLocalPort();
        }
        app = StatelessApi.create("h7", "v9", new VisitCounter("127.0.0.1:" + nothingThere)).start(0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyAnswerSaysWhichHostAndReleaseGaveIt() throws Exception {
        HttpResponse<String> answer = send("GET", "/");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).startsWith("Hello from host h7, worker PID:").endsWith(", release v9\n");
        assertThat(answer.headers().firstValue("X-Lab-Host")).hasValue("h7");
        assertThat(answer.headers().firstValue("X-Release")).hasValue("v9");
    }

    @Test
    void aVisitWithRedisAwayIsA503ThatSaysWhyAndTheRestStillServes() throws Exception {
        HttpResponse<String> visit = send("POST", "/visits");
        assertThat(visit.statusCode()).isEqualTo(503);
        assertThat(visit.body()).startsWith("cannot reach Redis at 127.0.0.1:").contains("the visit was not counted");
        assertThat(send("GET", "/health").statusCode()).as("health does not depend on Redis").isEqualTo(200);
        assertThat(send("POST", "/visits/in-memory").body()).startsWith("visits: 1 (this process's memory");
    }

    @Test
    void infoCountsTheRequestsThisProcessServed() throws Exception {
        send("GET", "/");
        assertThat(send("GET", "/info").body()).contains("\"host\":\"h7\"", "\"release\":\"v9\"", "\"served\":2");
    }

    @Test
    void anUnstampedJarIsReleaseV1() {
        assertThat(StatelessApi.release()).isEqualTo("v1");
    }

    @Test
    void aRedisAddressWithoutAPortIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new VisitCounter("10.77.0.2"))
                .hasMessage("REDIS_ADDRESS must be host:port, not '10.77.0.2'");
    }
}
