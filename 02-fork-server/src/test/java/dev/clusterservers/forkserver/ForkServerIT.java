package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One master with three children, shared by the tests that leave it whole (or heal it:
 * a lost child is replaced). Each test waits for what it needs instead of assuming it.
 */
class ForkServerIT {
    static final int CHILDREN = 3;
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final int MAX_BODY = 4096;

    static Cluster cluster;
    static HttpClient http;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.start(CHILDREN, "--policy", "round-robin", "--timeout", TIMEOUT.toMillis() + "ms",
                "--max-body", Integer.toString(MAX_BODY), "--max-in-flight", "1000", "--fault-injection");
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Timeout(60)
    void responsesComeFromEveryChild() throws Exception {
        assertThat(awaitEveryChildServing()).hasSize(CHILDREN).doesNotContain(Long.toString(cluster.master().pid()));
    }

    /**
     * Asks until every child has answered, and returns their PIDs: another test may have had
     * a child killed or recycled (a child silent past the timeout is), and its replacement
     * takes a while to come up on a busy machine.
     */
    private static Set<String> awaitEveryChildServing() throws Exception {
        Set<String> pids = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (pids.size() < CHILDREN && System.nanoTime() < deadline) {
            HttpResponse<String> response = get("/");
            assertThat(response.statusCode()).isEqualTo(200);
            String pid = response.headers().firstValue("X-Worker-Pid").orElseThrow();
            assertThat(response.body()).isEqualTo("Hello from child PID: " + pid + "\n");
            pids.add(pid);
        }
        return pids;
    }

    @Test
    @Timeout(120)
    void aThousandConcurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        assertThat(awaitEveryChildServing()).hasSize(CHILDREN);
        List<String> bodies = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String body = "request " + i + " " + UUID.randomUUID();
            bodies.add(body);
            replies.add(http.sendAsync(HttpRequest.newBuilder(cluster.uri("/echo?i=" + i))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            HttpResponse<String> reply = replies.get(i).join();
            assertThat(reply.statusCode()).as("status of request %d", i).isEqualTo(200);
            assertThat(reply.body()).as("body of request %d", i).isEqualTo(bodies.get(i));
            pids.add(reply.headers().firstValue("X-Worker-Pid").orElseThrow());
        }
        assertThat(pids).hasSizeGreaterThan(1);
    }

    @Test
    @Timeout(90)
    void aChildKilledMidRequestGives502AtOnceAndTheNextRequestsSucceed() throws Exception {
        String victim = get("/").headers().firstValue("X-Worker-Pid").orElseThrow();
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 2 * CHILDREN; i++) {
            slow.add(getAsync("/slow?ms=1500"));
        }
        Thread.sleep(300);
        ProcessHandle.of(Long.parseLong(victim)).orElseThrow().destroyForcibly();

        int lost = 0;
        for (CompletableFuture<HttpResponse<String>> reply : slow) {
            HttpResponse<String> response = reply.join();
            if (response.statusCode() == 502) {
                assertThat(response.body()).contains("PID " + victim).contains("lost");
                lost++;
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("X-Worker-Pid")).get().isNotEqualTo(victim);
            }
        }
        assertThat(lost).as("requests that were on the killed child").isPositive();
        for (int i = 0; i < 10; i++) {
            assertThat(get("/").statusCode()).isEqualTo(200);
        }
        cluster.awaitLines(Pattern.compile("exited \\(signal 9 \\(SIGKILL\\)\\) after \\d+ ms; replacing it"), 1, Duration.ofSeconds(10));
    }

    @Test
    @Timeout(30)
    void aChildSlowerThanTheTimeoutGives504() throws Exception {
        // Slower than the timeout, and done before a silent child is recycled (another
        // timeout later), so the cluster the other tests share keeps its warmed-up child.
        HttpResponse<String> response = get("/slow?ms=" + TIMEOUT.plusMillis(500).toMillis());
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("did not answer in " + TIMEOUT.toMillis() + " ms");
    }

    @Test
    @Timeout(30)
    void aBodyOverTheLimitGives413WhetherItsLengthIsDeclaredOrChunked() throws Exception {
        byte[] tooBig = new byte[MAX_BODY + 1];
        HttpResponse<String> declared = http.send(HttpRequest.newBuilder(cluster.uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(tooBig)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(cluster.uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooBig))).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> atTheLimit = http.send(HttpRequest.newBuilder(cluster.uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BODY])).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(atTheLimit.statusCode()).isEqualTo(200);
    }

    @Test
    @Timeout(60)
    void garbageOnAChildsPipeRecyclesThatChildWhileTheOthersKeepServing() throws Exception {
        long recycledBefore = cluster.countLines(Pattern.compile("broke the protocol: garbage on the pipe"));
        HttpResponse<String> broken = get("/corrupt?kind=garbage");
        assertThat(broken.statusCode()).isEqualTo(502);
        for (int i = 0; i < 10; i++) {
            assertThat(get("/").statusCode()).isEqualTo(200);
        }
        cluster.awaitLines(Pattern.compile("broke the protocol: garbage on the pipe"), (int) recycledBefore + 1,
                Duration.ofSeconds(10));
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(request(cluster.uri(pathAndQuery)), HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
        return http.sendAsync(request(cluster.uri(pathAndQuery)), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
    }
}
