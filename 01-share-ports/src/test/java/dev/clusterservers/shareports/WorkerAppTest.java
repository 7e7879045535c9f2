package dev.clusterservers.shareports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.shareports.visits.MemoryVisitStore;
import dev.clusterservers.shareports.visits.RedisVisitStore;
import io.javalin.Javalin;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker's routes, served by one Javalin on a free port: no cluster needed to test them. */
class WorkerAppTest {
    private final long pid = ProcessHandle.current().pid();
    private final HttpClient http = HttpClient.newHttpClient();
    private Javalin app;

    @BeforeEach
    void start() {
        app = Worker.createApp(new MemoryVisitStore(), cfg -> cfg.jetty.port = 0).start();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(app, path, null);
    }

    private HttpResponse<String> get(Javalin server, String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code name=value} part of the answer's Set-Cookie header. */
    private static String cookieSetBy(HttpResponse<String> response) {
        return response.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    @Test
    void theRootGreetsWithTheWorkersPid() throws Exception {
        HttpResponse<String> response = get("/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello from worker PID:" + pid + "\n");
    }

    @Test
    void everyAnswerSaysWhichWorkerServedIt() throws Exception {
        assertThat(get("/").headers().firstValue("X-Worker-Pid")).hasValue(Long.toString(pid));
        assertThat(get("/nowhere").headers().firstValue("X-Worker-Pid")).hasValue(Long.toString(pid));
    }

    @Test
    void statsCountTheRequestsThisWorkerServed() throws Exception {
        get("/");
        get("/");
        assertThat(get("/stats").body()).isEqualTo("{\"pid\":" + pid + ",\"requests\":3}");
    }

    @Test
    void slowSleepsAsLongAsAsked() throws Exception {
        assertThat(get("/slow?ms=10").body()).isEqualTo("Slept 10 ms in worker PID:" + pid + "\n");
    }

    @Test
    void slowRefusesAnAbsurdDelay() throws Exception {
        HttpResponse<String> response = get("/slow?ms=999999999");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("must be between 0 and 60000");
    }

    @Test
    void theFirstVisitSetsASessionCookieAndLaterVisitsWithItAreCounted() throws Exception {
        HttpResponse<String> first = get("/visits");
        String cookie = cookieSetBy(first);
        assertThat(cookie).matches("session=[0-9a-f-]{36}");
        assertThat(first.body()).isEqualTo("Visit 1 of this session, counted by worker PID:" + pid + " in memory\n");

        HttpResponse<String> second = get(app, "/visits", cookie);
        assertThat(second.body()).isEqualTo("Visit 2 of this session, counted by worker PID:" + pid + " in memory\n");
        assertThat(second.headers().firstValue("Set-Cookie")).as("a known session keeps its cookie").isEmpty();
    }

    @Test
    void everySessionHasItsOwnCount() throws Exception {
        String cookie = cookieSetBy(get("/visits"));
        get(app, "/visits", cookie);

        assertThat(get("/visits").body()).startsWith("Visit 1 of this session");
    }

    @Test
    void aCookieThatIsNoSessionIdOfOursStartsANewSession() throws Exception {
        HttpResponse<String> response = get(app, "/visits", "session=../../etc/passwd");

        assertThat(response.body()).startsWith("Visit 1 of this session");
        assertThat(cookieSetBy(response)).matches("session=[0-9a-f-]{36}");
    }

    @Test
    void whenTheStoreIsUnreachableVisitsAnswer503WithTheReasonAndTheRestStillServes() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (RedisVisitStore unreachable = new RedisVisitStore("127.0.0.1", closedPort)) {
            Javalin withRedis = Worker.createApp(unreachable, cfg -> cfg.jetty.port = 0).start();
            try {
                HttpResponse<String> visits = get(withRedis, "/visits", null);
                assertThat(visits.statusCode()).isEqualTo(503);
                assertThat(visits.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(visits.body())
                        .startsWith("The visit counter is unavailable: cannot reach Redis at redis://127.0.0.1:" + closedPort)
                        .endsWith("The rest of the app still serves; try again when Redis is back.\n");

                assertThat(get(withRedis, "/", null).statusCode()).isEqualTo(200);
            } finally {
                withRedis.stop();
            }
        }
    }
    @Test
    void aSlowRequestWaitsOnAPoolThreadWhileTheRootAnswersOnAnotherConnection() throws Exception {
        // /slow is handed to the pool; / is answered on the selector's thread, which must stay free.
        var slow = http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/slow?ms=5000")).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200);
        HttpClient other = HttpClient.newHttpClient();
        HttpResponse<String> root = other.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(slow).isNotDone();
    }

    @Test
    void aClientThatSendsRequestsAndNeverReadsTheAnswersHoldsOnlyItsOwnConnection() throws Exception {
        // Answered on the selector's thread, the root's answers pile up in this client's socket;
        // Jetty completes them without waiting, so other clients are still served.
        try (Socket greedy = new Socket("localhost", app.port())) {
            greedy.setReceiveBufferSize(4096);
            greedy.setSoTimeout(500);
            byte[] requests = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(1_000).getBytes(StandardCharsets.US_ASCII);
            OutputStream out = greedy.getOutputStream();
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try {
                // Writes until the socket's buffers are full both ways; the write then blocks, so it runs aside.
                writer.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        out.write(requests);
                    }
                    return null;
                });
                Thread.sleep(1_000);
                for (int i = 0; i < 3; i++) {
                    assertThat(get("/").statusCode()).isEqualTo(200);
                    assertThat(get("/stats").statusCode()).isEqualTo(200);
                }
            } finally {
                writer.shutdownNow();
            }
        }
    }
}
