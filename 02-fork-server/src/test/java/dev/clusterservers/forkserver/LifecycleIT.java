package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests that start a cluster of their own, because they end it or starve it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LifecycleIT {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    @Timeout(90)
    void sigterm_lets_the_request_in_flight_finish_then_every_process_exits_0() throws Exception {
        try (Cluster cluster = Cluster.start(2)) {
            CompletableFuture<HttpResponse<String>> inFlight = getAsync(cluster, "/slow?ms=1500");
            Thread.sleep(500);
            Set<Long> children = cluster.childPids();

            int exitCode = cluster.terminate(Duration.ofSeconds(30));

            assertThat(inFlight.join().statusCode()).isEqualTo(200);
            assertThat(exitCode).isZero();
            assertThat(children).hasSize(2);
            for (long pid : children) {
                assertThat(alive(pid)).as("child %d still alive", pid).isFalse();
            }
            assertThat(cluster.output()).anyMatch(line -> line.contains("stopped (exit code 0)"));
        }
    }

    @Test
    @Timeout(60)
    void sigkill_of_the_master_leaves_no_child_behind() throws Exception {
        try (Cluster cluster = Cluster.start(2)) {
            Set<Long> children = cluster.childPids();
            assertThat(children).hasSize(2);

            cluster.master().destroyForcibly().waitFor();

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (children.stream().anyMatch(LifecycleIT::alive) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(children).noneMatch(LifecycleIT::alive);
        }
    }

    @Test
    @Timeout(90)
    void when_every_child_is_full_or_none_is_ready_the_master_answers_503_at_once() throws Exception {
        try (Cluster cluster = Cluster.start(1, "--max-in-flight", "2", "--timeout", "10s")) {
            // A first request opens the client's connection and threads, which on a busy machine
            // can take longer than the pause below; after it the two slow ones go out at once.
            assertThat(get(cluster, "/").statusCode()).isEqualTo(200);
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            slow.add(getAsync(cluster, "/slow?ms=4000"));
            slow.add(getAsync(cluster, "/slow?ms=4000"));
            Thread.sleep(1_000);
            HttpResponse<String> full = get(cluster, "/");
            assertThat(full.statusCode()).isEqualTo(503);
            assertThat(full.body()).contains("every child has 2 requests in flight");
            assertThat(full.headers().firstValue("Retry-After")).contains("1");

            // Kill the only child: its two requests answer 502, and until the replacement
            // JVM has started, nobody can serve.
            long child = cluster.childPids().iterator().next();
            ProcessHandle.of(child).orElseThrow().destroyForcibly();
            for (CompletableFuture<HttpResponse<String>> reply : slow) {
                assertThat(reply.join().statusCode()).isEqualTo(502);
            }
            HttpResponse<String> none = get(cluster, "/");
            assertThat(none.statusCode()).isEqualTo(503);
            assertThat(none.body()).contains("no child is ready");

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                status = get(cluster, "/").statusCode();
            }
            assertThat(status).as("status once the replacement is ready").isEqualTo(200);
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private HttpResponse<String> get(Cluster cluster, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(cluster.uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(Cluster cluster, String pathAndQuery) {
        return http.sendAsync(HttpRequest.newBuilder(cluster.uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
