package dev.clusterservers.shareports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.plumbing.bench.KeepAliveClients;
import dev.clusterservers.shareports.ClusterProcess.Response;
import dev.clusterservers.shareports.sharing.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A real master and real worker JVMs on a free port, for each way of sharing it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharePortsIT {
    private static final int REQUESTS = 24;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void responsesComeFromMoreThanOneWorker(Strategy strategy) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(strategy, 2)) {
            List<Long> workers = cluster.awaitWorkers(2);
            Set<Long> answered = new HashSet<>();
            for (int i = 0; i < REQUESTS; i++) {
                Response response = cluster.get("/");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("Hello from worker PID:" + response.workerPid() + "\n");
                answered.add(response.workerPid());
            }
            assertThat(answered).hasSizeGreaterThanOrEqualTo(2).isSubsetOf(workers);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void theListeningSocketIsHeldByExactlyTheProcessesTheStrategySays(Strategy strategy) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(strategy, 2)) {
            long master = cluster.master().pid();
            List<Long> workers = cluster.awaitWorkers(2);

            List<Set<Long>> sockets = SocketHolders.listeningOn(cluster.port());

            switch (strategy) {
                case ROUND_ROBIN -> assertThat(sockets).containsExactly(Set.of(master));
                case SHARED -> assertThat(sockets).singleElement()
                        .satisfies(holders -> assertThat(holders).containsExactlyInAnyOrder(master, workers.get(0), workers.get(1)));
                case REUSEPORT -> assertThat(sockets).containsExactlyInAnyOrder(Set.of(workers.get(0)), Set.of(workers.get(1)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void aKilledWorkerIsReplacedAndTheClusterKeepsAnswering(Strategy strategy) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(strategy, 2)) {
            long victim = cluster.awaitWorkers(2).get(0);

            ProcessHandle.of(victim).orElseThrow().destroyForcibly();

            // "now", or "in 100 ms" when the worker had only just started: both are a replacement.
            cluster.awaitLog("worker " + victim + " died \\(signal 9 \\(SIGKILL\\)\\); replacing it (now|in \\d+ ms)",
                    Duration.ofSeconds(20));
            List<Long> after = cluster.awaitWorkers(3);
            assertThat(after).hasSize(3).contains(victim);
            for (int i = 0; i < REQUESTS; i++) {
                Response response = cluster.get("/");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.workerPid()).isNotEqualTo(victim);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void sigtermStopsEveryProcessAndTheMasterExitsZero(Strategy strategy) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(strategy, 2)) {
            cluster.master().destroy();

            assertThat(cluster.master().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(cluster.master().exitValue()).isEqualTo(ExitCode.OK);
            assertThat(cluster.allGone()).as("no worker outlives its master").isTrue();
            assertThat(cluster.output()).contains("Master PID: " + cluster.master().pid() + " stopped");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void aRequestInFlightFinishesDuringAGracefulStop(Strategy strategy) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(strategy, 1);
                Socket client = new Socket("127.0.0.1", cluster.port())) {
            // Connected and sent on this thread, before the signal: on a busy machine a
            // request started on another thread may not have reached the port yet.
            client.setSoTimeout(30_000);
            long served = requestsServed(cluster);
            client.getOutputStream().write("GET /slow?ms=3000 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            // Wait until the worker counts one request more than our /stats calls: /slow has
            // started. A fixed pause is not enough when the machine is busy.
            for (long polls = 1; requestsServed(cluster) <= served + polls; polls++) {
                assertThat(polls).as("/slow did not start").isLessThan(200);
                ClusterProcess.sleep(50);
            }

            cluster.master().destroy();

            String response = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 200").contains("Slept 3000 ms");
            assertThat(cluster.master().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(cluster.master().exitValue()).isEqualTo(ExitCode.OK);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void aStopUnderKeepAliveLoadAnswersEveryRequestItTakesWith2xx(Strategy strategy) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(strategy, 1)) {
            KeepAliveClients load = KeepAliveClients.start(URI.create("http://127.0.0.1:" + cluster.port() + "/"), 8);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (load.ok() < 200) {
                    assertThat(System.nanoTime() < deadline).as("200 requests answered within 30 s").isTrue();
                    ClusterProcess.sleep(20);
                }
                // A request in flight keeps the worker stopping while the clients go on sending
                // on their kept-alive connections: Jetty's graceful stop alone answers them 503.
                CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> {
                    try {
                        return cluster.get("/slow?ms=1500");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                ClusterProcess.sleep(300);

                cluster.master().destroy();
                assertThat(cluster.master().waitFor(30, TimeUnit.SECONDS)).isTrue();

                KeepAliveClients.Outcomes outcomes = load.stop();
                assertThat(outcomes.non2xx()).as("non-2xx answers while stopping: %s", outcomes).isZero();
                assertThat(inFlight.join().status()).isEqualTo(200);
                assertThat(cluster.master().exitValue()).isEqualTo(ExitCode.OK);
            } finally {
                load.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void sigkillToTheMasterLeavesNoWorkerBehind(Strategy strategy) throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(strategy, 2)) {
            Set<Long> workers = Set.copyOf(cluster.awaitWorkers(2));

            cluster.master().destroyForcibly();

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (workers.stream().anyMatch(ClusterProcess::alive) && System.nanoTime() < deadline) {
                ClusterProcess.sleep(100);
            }
            assertThat(workers).noneMatch(ClusterProcess::alive);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Strategy.class)
    void aPortInUseIsOneClearErrorAndStartsNoWorker(Strategy strategy) throws Exception {
        try (ServerSocket taken = new ServerSocket(0);
             ClusterProcess cluster = ClusterProcess.launchExactly(Files.createTempFile("share-ports-", ".log"),
                     List.of("--strategy", strategy.flag(), "--port", Integer.toString(taken.getLocalPort())))) {
            assertThat(cluster.master().waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(cluster.master().exitValue()).isEqualTo(ExitCode.PORT_UNAVAILABLE);
            assertThat(cluster.output())
                    .contains("Cannot listen on port " + taken.getLocalPort() + ": Address already in use")
                    .doesNotContain("Worker created", "Exception", "\tat ");
            assertThat(cluster.seenPids()).isEmpty();
        }
    }

    @Test
    void aBadFlagIsOneClearErrorWithNoStackTrace() throws Exception {
        Path log = Files.createTempFile("share-ports-", ".log");
        try (ClusterProcess cluster = ClusterProcess.launchExactly(log, List.of("--workers", "lots"))) {
            assertThat(cluster.master().waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(cluster.master().exitValue()).isEqualTo(ExitCode.USAGE);
            assertThat(cluster.output().lines().findFirst())
                    .hasValue("share-ports: Invalid value for option '--workers': 'lots' is not a number or 'max'");
            assertThat(cluster.output()).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void aSharedWorkerStartedWithoutItsMasterSaysWhyAndExits() throws Exception {
        Path log = Files.createTempFile("share-ports-", ".log");
        try (ClusterProcess worker = ClusterProcess.launchExactly(log,
                List.of("--role", "WORKER", "--strategy", "shared", "--port", "0"))) {
            assertThat(worker.master().waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(worker.master().exitValue()).isEqualTo(ExitCode.WORKER_SETUP_FAILED);
            assertThat(worker.output())
                    .contains("fd 0 is not a listening socket")
                    .doesNotContain("\tat ");
        }
    }

    /**
     * SIGKILL runs no clean-up, so the round-robin master's control folder in the temp folder
     * outlives it. The next master to start removes every such folder whose master is gone.
     */
    @Test
    void aControlFolderLeftBySigkilledMasterIsRemovedWhenTheNextMasterStarts() throws Exception {
        Path stale;
        try (ClusterProcess killed = ClusterProcess.start(Strategy.ROUND_ROBIN, 1)) {
            long worker = killed.awaitWorkers(1).get(0);
            // The JDK gives no arguments for a command line this long (the classpath); Linux does.
            List<String> workerArgs = List.of(Files.readString(Path.of("/proc/" + worker + "/cmdline")).split("\0"));
            Path socket = Path.of(workerArgs.get(workerArgs.indexOf("--control") + 1));
            stale = socket.getParent();
            assertThat(stale).isDirectory();

            killed.master().destroyForcibly().waitFor();
            assertThat(stale).as("SIGKILL ran no clean-up").isDirectory();
        }
        try (ClusterProcess next = ClusterProcess.start(Strategy.ROUND_ROBIN, 1)) {
            assertThat(stale).doesNotExist();
            assertThat(next.get("/").status()).isEqualTo(200);
        }
    }

    /** What the only worker's {@code /stats} says it served, this call included. */
    private static long requestsServed(ClusterProcess cluster) throws Exception {
        Matcher count = Pattern.compile("\"requests\":(\\d+)").matcher(cluster.get("/stats").body());
        assertThat(count.find()).isTrue();
        return Long.parseLong(count.group(1));
    }
}
