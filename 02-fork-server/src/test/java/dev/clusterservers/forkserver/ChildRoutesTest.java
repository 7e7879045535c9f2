package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.forkserver.ipc.Message.Header;
import dev.clusterservers.forkserver.ipc.Message.Request;
import dev.clusterservers.forkserver.ipc.Message.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The child's routes, called as plain functions: no pipe, no process. */
class ChildRoutesTest {
    final ChildRoutes routes = new ChildRoutes();
    final String pid = Long.toString(ProcessHandle.current().pid());

    @Test
    void theRootGreetsWithThePidOfTheProcessThatAnswered() {
        Response response = routes.handle(get("/", ""));

        assertThat(response.status()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("Hello from child PID: " + pid + "\n");
        assertThat(response.header("X-Worker-Pid")).isEqualTo(pid);
    }

    @Test
    void fibComputesTheFibonacciNumberOfN() {
        assertThat(text(routes.handle(get("/fib", "n=20")))).startsWith("fib(20) = 6765,");
        assertThat(ChildRoutes.fibonacci(30)).isEqualTo(832_040);
    }

    @Test
    void aParameterOutOfRangeGives400AndSaysTheRange() {
        Response response = routes.handle(get("/fib", "n=99"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(text(response)).contains("from 0 to " + ChildRoutes.MAX_FIB);
    }

    @Test
    void echoAnswersTheBodyByteForByteWithItsContentType() {
        byte[] body = {0, 1, (byte) 0xFF, 'x'};
        Response response = routes.handle(new Request(9, "POST", "/echo", "",
                List.of(new Header("content-type", "application/x-test")), body));

        assertThat(response.id()).isEqualTo(9);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.header("Content-Type")).isEqualTo("application/x-test");
    }

    @Test
    void anUnknownRouteGives404NamingIt() {
        Response response = routes.handle(get("/nope", ""));

        assertThat(response.status()).isEqualTo(404);
        assertThat(text(response)).contains("GET /nope");
    }

    private static Request get(String path, String query) {
        return new Request(1, "GET", path, query, List.of(), new byte[0]);
    }

    private static String text(Response response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
