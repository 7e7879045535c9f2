package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.plumbing.bench.KeepAliveClients;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests that start a cluster of their own, because they end it or starve it. */
class LifecycleIT {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    @Timeout(90)
    void sigtermLetsTheRequestInFlightFinishThenEveryProcessExits0() throws Exception {
        try (Cluster cluster = Cluster.start(2)) {
            CompletableFuture<HttpResponse<String>> inFlight = getAsync(cluster, "/slow?ms=3000");
            // A request answered after the slow one was sent: the master has accepted the slow
            // one's connection (the kernel queues them in order). A fixed pause alone is not
            // enough on a busy machine: a connection still queued when the stop closes the
            // listener is refused.
            assertThat(get(cluster, "/").statusCode()).isEqualTo(200);
            Thread.sleep(300);
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
    @Timeout(90)
    void aStopUnderKeepAliveLoadAnswersEveryRequestItTakesWith2xx() throws Exception {
        try (Cluster cluster = Cluster.start(2)) {
            KeepAliveClients load = KeepAliveClients.start(cluster.uri("/"), 8);
            try {
                awaitOk(load, 200);
                // A request in flight keeps the stop going while the clients go on sending on
                // their kept-alive connections: Jetty's graceful stop alone answers them 503.
                CompletableFuture<HttpResponse<String>> inFlight = getAsync(cluster, "/slow?ms=1500");
                Thread.sleep(300);

                int exitCode = cluster.terminate(Duration.ofSeconds(30));

                KeepAliveClients.Outcomes outcomes = load.stop();
                assertThat(outcomes.non2xx()).as("non-2xx answers while stopping: %s", outcomes).isZero();
                assertThat(inFlight.join().statusCode()).isEqualTo(200);
                assertThat(exitCode).isZero();
            } finally {
                load.close();
            }
        }
    }

    @Test
    @Timeout(90)
    void aFrozenChildLeavesRotationAfterItsFirstTimeoutAndIsRecycledIfItStaysSilent() throws Exception {
        try (Cluster cluster = Cluster.start(2, "--timeout", "1s")) {
            long frozen = cluster.childPids().iterator().next();
            assertThat(signal("STOP", frozen)).as("kill -STOP %d", frozen).isZero();
            try {
                // The default policy, random, picks the frozen child about every other request at first.
                KeepAliveClients load = KeepAliveClients.start(cluster.uri("/"), 4);
                try {
                    cluster.awaitLines(Pattern.compile("\\(PID " + frozen + "\\) answered nothing for 1000 ms: out of rotation"),
                            1, Duration.ofSeconds(20));
                    KeepAliveClients.Outcomes before = load.stop();
                    assertThat(before.statuses()).containsKey(504);
                } finally {
                    load.close();
                }
                // Out of rotation: every request goes to the other child, at once.
                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(cluster.uri("/"))
                            .timeout(Duration.ofMillis(900)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.headers().firstValue("X-Worker-Pid").orElseThrow()).isNotEqualTo(Long.toString(frozen));
                }
                cluster.awaitLines(Pattern.compile("\\(PID " + frozen + "\\) stayed silent: recycling it"), 1, Duration.ofSeconds(20));
                cluster.awaitLines(Pattern.compile("\\(PID " + frozen + "\\) exited \\(signal 9"), 1, Duration.ofSeconds(20));
                cluster.awaitLines(Pattern.compile("Child process created"), 3, Duration.ofSeconds(60));
            } finally {
                signal("CONT", frozen); // if it was not recycled: SIGKILL reaches a stopped process, but tidier
            }
        }
    }

    @Test
    @Timeout(60)
    void aRequestSentAsSoonAsTheMasterListensWaitsForTheFirstChildInsteadOfGetting503() throws Exception {
        try (Cluster cluster = Cluster.startListening(1)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(cluster.uri("/"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(cluster.output()).noneMatch(line -> line.contains("no child ready"));
        }
    }

    @Test
    @Timeout(90)
    void startedWithoutHeapFlagsTheMasterRunsInASizedJvmAndSigtermToTheLauncherStopsEveryProcess()
            throws Exception {
        try (Cluster cluster = Cluster.startWithoutHeapFlags(1)) {
            Set<Long> tree = descendants(cluster);

            assertThat(get(cluster, "/").statusCode()).isEqualTo(200);
            assertThat(cluster.output()).anyMatch(line -> line.matches(".*INFO launcher - PID: " + cluster.master().pid()
                    + " was started without -Xmx: running the master in a JVM of its own with -XX:\\+UseSerialGC -Xms64m"
                    + " -Xmx512m \\(PID: \\d+\\)"));
            assertThat(cluster.output()).anyMatch(line -> line.contains("INFO master - Master JVM: max heap")
                    && !line.contains("no -Xmx"));
            assertThat(tree).as("the sized master and its child").hasSize(2);

            assertThat(cluster.terminate(Duration.ofSeconds(30))).isZero();
            assertThat(tree).noneMatch(LifecycleIT::alive);
        }
    }

    @Test
    @Timeout(60)
    void sigkillOfTheLauncherStopsTheSizedMasterAndItsChildren() throws Exception {
        try (Cluster cluster = Cluster.startWithoutHeapFlags(1)) {
            Set<Long> tree = descendants(cluster);
            assertThat(tree).hasSize(2);

            cluster.master().destroyForcibly().waitFor();

            awaitGone(tree, Duration.ofSeconds(20));
        }
    }

    @Test
    @Timeout(60)
    void sigkillOfTheMasterLeavesNoChildBehind() throws Exception {
        try (Cluster cluster = Cluster.start(2)) {
            Set<Long> children = cluster.childPids();
            assertThat(children).hasSize(2);

            cluster.master().destroyForcibly().waitFor();

            awaitGone(children, Duration.ofSeconds(10));
        }
    }

    @Test
    @Timeout(90)
    void whenEveryChildIsFullOrNoneIsReadyTheMasterAnswers503AtOnce() throws Exception {
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

    /** Sends a signal the JDK cannot: {@code kill -STOP} freezes a process, {@code kill -CONT} thaws it. */
    private static int signal(String name, long pid) throws Exception {
        return new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static void awaitOk(KeepAliveClients load, long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (load.ok() < count) {
            assertThat(System.nanoTime() < deadline).as("%d requests answered 2xx within 30 s", count).isTrue();
            Thread.sleep(20);
        }
    }

    private static Set<Long> descendants(Cluster cluster) {
        return cluster.master().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** Waits until none of {@code pids} is alive; fails the test if one still is after {@code timeout}. */
    private static void awaitGone(Set<Long> pids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pids.stream().anyMatch(LifecycleIT::alive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(pids).noneMatch(LifecycleIT::alive);
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
