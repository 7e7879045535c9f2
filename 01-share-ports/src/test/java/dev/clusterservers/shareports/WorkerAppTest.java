package dev.clusterservers.shareports;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        app = Worker.createApp(cfg -> cfg.jetty.port = 0).start();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
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
}
