package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.forkserver.ipc.Frames;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What one client can do to everyone else. Each test abuses a fresh master for
 * {@link #ABUSE} while a normal client keeps asking for {@code GET /}, then checks what the
 * normal client got: the master is a shared resource, and one bad client must not take it.
 */
class AbuseIT {
    static final Duration ABUSE = Duration.ofSeconds(10);
    /** Small, so that a slot lost per bad request shows within the first second of abuse. */
    static final String MAX_IN_FLIGHT = "4";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    @Timeout(60)
    void aRequestWithMoreHeadersThanTheWireCarriesGets431AndGivesItsSlotBackAtOnce() throws Exception {
        try (Cluster cluster = Cluster.start(1, "--max-in-flight", "1", "--timeout", "10s")) {
            HttpResponse<String> tooMany = http.send(tooManyHeaders(cluster), HttpResponse.BodyHandlers.ofString());

            assertThat(tooMany.statusCode()).isEqualTo(431);
            assertThat(tooMany.body()).contains("headers").contains("limit is " + Frames.MAX_HEADERS)
                    .doesNotContain("Exception").doesNotContain("\tat ").hasLineCount(1);
            // The only slot: if the bad request still held it, this would be 503 for 10 s.
            assertThat(get(cluster, "/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    @Timeout(60)
    void afterTenSecondsOfOverLimitHeadersFromTwoThreadsANormalClientGets200EveryTime() throws Exception {
        try (Cluster cluster = Cluster.start(2, "--max-in-flight", MAX_IN_FLIGHT)) {
            Outcome outcome = abuse(2, () -> http.send(tooManyHeaders(cluster),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), cluster);

            assertThat(outcome.abusers().keySet()).containsOnly(431);
            assertThat(outcome.normal().keySet()).as("the normal client during the abuse").containsOnly(200);
            assertThat(normalRequests(cluster, 20).keySet()).as("the normal client after it").containsOnly(200);
        }
    }

    @Test
    @Timeout(60)
    void withFaultInjectionOffTenSecondsOfCorruptGet404AndANormalClientGets200EveryTime() throws Exception {
        try (Cluster cluster = Cluster.start(2, "--max-in-flight", MAX_IN_FLIGHT)) {
            Outcome outcome = abuse(1, () -> get(cluster, "/corrupt?kind=garbage").statusCode(), cluster);

            assertThat(outcome.abusers().keySet()).containsOnly(404);
            assertThat(outcome.normal().keySet()).as("the normal client during the abuse").containsOnly(200);
            assertThat(normalRequests(cluster, 20).keySet()).as("the normal client after it").containsOnly(200);
            assertThat(cluster.output()).noneMatch(line -> line.contains("broke the protocol"));
        }
    }

    /**
     * With the flag on, {@code /corrupt} does what it is for: every call breaks a child's
     * pipe, and the master recycles it. What must hold for everyone else: each request gets a
     * prompt, honest answer (200, or 502 if it was on the broken child, or 503 while no child
     * is ready), never a 500 or a hang; the master itself never goes down; and once the
     * abuse stops, the children are back (after their back-off) and every request gets 200.
     */
    @Test
    @Timeout(90)
    void withFaultInjectionOnChildrenRecycleUnderCorruptAndEveryClientGetsAnHonestAnswer() throws Exception {
        try (Cluster cluster = Cluster.start(2, "--fault-injection", "--max-in-flight", MAX_IN_FLIGHT)) {
            Outcome outcome = abuse(1, () -> {
                int status = get(cluster, "/corrupt?kind=garbage").statusCode();
                Thread.sleep(100); // about 10 a second
                return status;
            }, cluster);

            assertThat(outcome.abusers().keySet()).isSubsetOf(502, 503);
            assertThat(outcome.normal().keySet()).isSubsetOf(200, 502, 503);
            assertThat(cluster.master().isAlive()).isTrue();
            assertThat(cluster.countLines(Pattern.compile("broke the protocol"))).isPositive();
            awaitEveryChildReady(cluster, 2, Duration.ofSeconds(30));
            assertThat(normalRequests(cluster, 20).keySet()).containsOnly(200);
        }
    }

    @Test
    @Timeout(60)
    void twoHundredRefusedRequestsMakeASummaryLineNotTwoHundredWarnings() throws Exception {
        try (Cluster cluster = Cluster.start(1, "--max-in-flight", "1", "--timeout", "15s")) {
            // A first request opens the client's connection and threads, so the holder goes out at once.
            assertThat(get(cluster, "/").statusCode()).isEqualTo(200);
            var holder = http.sendAsync(HttpRequest.newBuilder(cluster.uri("/slow?ms=10000")).build(),
                    HttpResponse.BodyHandlers.discarding());
            Thread.sleep(1_000); // the holder has the only slot
            Map<Integer, Integer> statuses = normalRequests(cluster, 200);
            assertThat(statuses).containsEntry(503, 200);
            assertThat(holder.join().statusCode()).isEqualTo(200);

            Pattern summary = Pattern.compile("answered (\\d+) × 503 in the last 1 s \\(\\d+ every child full, max-in-flight 1\\)");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            long summed = 0;
            while (summed < 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                summed = cluster.output().stream().map(summary::matcher).filter(java.util.regex.Matcher::find)
                        .mapToLong(m -> Long.parseLong(m.group(1))).sum();
            }
            assertThat(summed).as("the summaries count every 503").isGreaterThanOrEqualTo(200);
            assertThat(cluster.countLines(Pattern.compile("503"))).as("master lines about 503").isLessThan(10);
        }
    }

    /** How many of each status the abusing threads and the normal client got. */
    record Outcome(Map<Integer, Integer> abusers, Map<Integer, Integer> normal) {
    }

    /** Abuses the master from {@code threads} threads for {@link #ABUSE} while a normal client sends {@code GET /}. */
    private Outcome abuse(int threads, Call call, Cluster cluster) throws InterruptedException {
        Map<Integer, Integer> normal = new ConcurrentHashMap<>();
        Thread client = normalClient(cluster, normal, ABUSE);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long end = System.nanoTime() + ABUSE.toNanos();
        List<Thread> abusers = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        statuses.merge(call.status(), 1, Integer::sum);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "abuser-" + t);
            thread.start();
            abusers.add(thread);
        }
        for (Thread thread : abusers) {
            thread.join();
        }
        client.join();
        assertThat(failures).as("abusing requests that got no HTTP answer at all").isEmpty();
        System.out.println("[abuse] abusers " + new TreeMap<>(statuses) + ", normal client " + new TreeMap<>(normal));
        return new Outcome(statuses, normal);
    }

    private Thread normalClient(Cluster cluster, Map<Integer, Integer> statuses, Duration duration) {
        Thread thread = new Thread(() -> {
            long end = System.nanoTime() + duration.toNanos();
            try {
                while (System.nanoTime() < end) {
                    statuses.merge(get(cluster, "/").statusCode(), 1, Integer::sum);
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                statuses.merge(-1, 1, Integer::sum);
            }
        }, "normal-client");
        thread.start();
        return thread;
    }

    private Map<Integer, Integer> normalRequests(Cluster cluster, int count) throws Exception {
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            statuses.merge(get(cluster, "/").statusCode(), 1, Integer::sum);
        }
        return statuses;
    }

    private void awaitEveryChildReady(Cluster cluster, int children, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long created = cluster.countLines(Pattern.compile("Child process created"));
            long exited = cluster.countLines(Pattern.compile("exited \\("));
            if (created - exited >= children && get(cluster, "/").statusCode() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the children were not all back within " + timeout.toSeconds() + " s");
    }

    private HttpRequest tooManyHeaders(Cluster cluster) {
        HttpRequest.Builder request = HttpRequest.newBuilder(cluster.uri("/")).timeout(Duration.ofSeconds(30));
        for (int i = 0; i <= Frames.MAX_HEADERS; i++) {
            request.header("X-Flood-" + i, "1");
        }
        return request.build();
    }

    private HttpResponse<String> get(Cluster cluster, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(cluster.uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @FunctionalInterface
    private interface Call {
        int status() throws Exception;
    }
}
