package dev.clusterservers.shareports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.shareports.ClusterProcess.Response;
import dev.clusterservers.shareports.sharing.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tutorial's closing warning, shown with a real master, 4 real worker JVMs and a real
 * Redis: state kept in a worker's heap is wrong in a cluster; state kept in Redis is right.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatelessWorkersIT {
    private static final int WORKERS = 4;
    private static final int SEQUENTIAL_VISITS = 12;
    private static final int CONCURRENT_VISITS = 48;
    private static final int CLIENT_THREADS = 8;
    private static final Pattern VISIT = Pattern.compile("Visit (\\d+) of this session, counted by worker PID:(\\d+) in (\\S+)\n");

    private static RedisServer redis;
    private static ClusterProcess redisCluster;

    /**
     * One Redis and one cluster counting in it, shared by the Redis tests (each with its own
     * session): starting 4 worker JVMs is the slow part. Started by the first test that needs
     * them, so the memory test runs even where Redis cannot.
     */
    private static ClusterProcess clusterWithRedis() throws Exception {
        if (redis == null) {
            redis = RedisServer.start();
        }
        if (redisCluster == null) {
            redisCluster = ClusterProcess.start(Strategy.ROUND_ROBIN, WORKERS, "--store", redis.url());
        }
        return redisCluster;
    }

    @AfterAll
    static void stopClusterThenRedis() {
        try {
            if (redisCluster != null) {
                redisCluster.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    private record Visit(long count, long workerPid, String store) {
        static Visit of(Response response) {
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            Matcher matcher = VISIT.matcher(response.body());
            assertThat(matcher.matches()).as(response.body()).isTrue();
            return new Visit(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)), matcher.group(3));
        }
    }

    @Test
    void withMemoryEachWorkerCountsOnlyTheVisitsItServedSoOneSessionsCountJumpsAround() throws Exception {
        try (ClusterProcess cluster = ClusterProcess.start(Strategy.ROUND_ROBIN, WORKERS)) {
            Response first = cluster.get("/visits");
            String cookie = first.setCookie();
            List<Visit> visits = new ArrayList<>(List.of(Visit.of(first)));
            for (int i = 1; i < SEQUENTIAL_VISITS; i++) {
                visits.add(Visit.of(cluster.get("/visits", cookie)));
            }

            List<Long> counts = visits.stream().map(Visit::count).toList();
            assertThat(counts).as("one session, %d visits, one after another", SEQUENTIAL_VISITS)
                    .isNotEqualTo(LongStream.rangeClosed(1, SEQUENTIAL_VISITS).boxed().toList());
            assertThat(counts.get(counts.size() - 1)).isLessThan(SEQUENTIAL_VISITS);

            // Each worker is right about its own heap: its answers are 1, 2, 3, ... on their own.
            Map<Long, List<Long>> byWorker = new LinkedHashMap<>();
            visits.forEach(v -> byWorker.computeIfAbsent(v.workerPid(), pid -> new ArrayList<>()).add(v.count()));
            assertThat(byWorker).hasSizeGreaterThan(1);
            byWorker.values().forEach(own -> assertThat(own)
                    .isEqualTo(LongStream.rangeClosed(1, own.size()).boxed().toList()));
            assertThat(visits).allMatch(v -> v.store().equals("memory"));
        }
    }

    @Test
    void withRedisConcurrentVisitsServedByFourWorkersAddUpExactly() throws Exception {
        ClusterProcess cluster = clusterWithRedis();
        Response first = cluster.get("/visits");
        String cookie = first.setCookie();
        assertThat(Visit.of(first).count()).isEqualTo(1);

        List<Visit> concurrent = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_VISITS; i++) {
                answers.add(clients.submit(() -> cluster.get("/visits", cookie)));
            }
            for (Future<Response> answer : answers) {
                concurrent.add(Visit.of(answer.get(60, TimeUnit.SECONDS)));
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(concurrent).extracting(Visit::count).as("every visit got its own number: none lost, none twice")
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, CONCURRENT_VISITS + 1).boxed().toList());
        Set<Long> servedBy = Set.copyOf(concurrent.stream().map(Visit::workerPid).toList());
        assertThat(servedBy).as("served by more than one worker").hasSizeGreaterThan(1).isSubsetOf(cluster.workerPids());
        assertThat(Visit.of(cluster.get("/visits", cookie)).count()).isEqualTo(1 + CONCURRENT_VISITS + 1);
    }

    @Test
    void whenRedisStopsVisitsAnswer503AndTheRestServesThenVisitsRecoverWithoutARestart() throws Exception {
        ClusterProcess cluster = clusterWithRedis();
        List<Long> workers = cluster.awaitWorkers(WORKERS);
        String cookie = cluster.get("/visits").setCookie();

        redis.stop();
        Set<Long> refused = new HashSet<>();
        try {
            for (int i = 0; i < 2 * WORKERS; i++) {
                Response visits = cluster.get("/visits", cookie);
                assertThat(visits.status()).isEqualTo(503);
                assertThat(visits.body()).startsWith("The visit counter is unavailable: cannot reach Redis at " + redis.url());
                refused.add(visits.workerPid());

                Response hello = cluster.get("/");
                assertThat(hello.status()).isEqualTo(200);
            }
        } finally {
            redis.restart();
        }
        assertThat(refused).hasSizeGreaterThan(1);

        List<Long> counts = new ArrayList<>();
        Set<Long> recovered = new HashSet<>();
        for (int i = 0; i < 2 * WORKERS; i++) {
            Visit visit = Visit.of(cluster.get("/visits", cookie));
            counts.add(visit.count());
            recovered.add(visit.workerPid());
        }
        assertThat(recovered).containsAll(refused);
        assertThat(counts).as("counted one by one again").isEqualTo(
                LongStream.range(counts.get(0), counts.get(0) + counts.size()).boxed().toList());
        assertThat(cluster.workerPids()).as("no worker was restarted").isEqualTo(workers);
        cluster.awaitLog("Worker PID: \\d+ reaches Redis at " + Pattern.quote(redis.url()) + " again",
                Duration.ofSeconds(5));
    }

    @Test
    void aMalformedRedisUrlIsOneClearErrorAndStartsNoWorker() throws Exception {
        Path log = Files.createTempFile("share-ports-", ".log");
        try (ClusterProcess cluster = ClusterProcess.launchExactly(log, List.of("--port", "0", "--store", "redis://localhost:port"))) {
            assertThat(cluster.master().waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(cluster.master().exitValue()).isEqualTo(ExitCode.USAGE);
            assertThat(cluster.output().lines().findFirst()).hasValue("share-ports: Invalid value for option '--store': "
                    + "'redis://localhost:port' is not a store: it names no valid host and port; "
                    + "expected memory or redis://host:port, e.g. redis://localhost:6379");
            assertThat(cluster.output()).doesNotContain("Worker created", "Exception", "\tat ");
            assertThat(cluster.seenPids()).isEmpty();
        }
    }
}
