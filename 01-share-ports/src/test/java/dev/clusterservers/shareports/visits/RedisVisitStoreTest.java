package dev.clusterservers.shareports.visits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clusterservers.shareports.RedisServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

/** Against a real Redis (see {@link RedisServer}), started once for this class. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisVisitStoreTest {
    private static final int THREADS = 16;
    private static final int VISITS_PER_THREAD = 125;

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    private static RedisVisitStore store() {
        return new RedisVisitStore(redis.host(), redis.port());
    }

    private static String newSession() {
        return UUID.randomUUID().toString();
    }

    @Test
    void eachSessionIsCountedFromOne() {
        String a = newSession();
        String b = newSession();
        try (RedisVisitStore store = store()) {
            assertThat(List.of(store.countVisit(a), store.countVisit(a), store.countVisit(b), store.countVisit(a)))
                    .containsExactly(1L, 2L, 1L, 3L);
            assertThat(store.describe()).isEqualTo(redis.url());
        }
    }

    @Test
    void nConcurrentVisitsFromManyThreadsCountExactlyNAndNoTwoGetTheSameAnswer() throws Exception {
        String session = newSession();
        ConcurrentLinkedQueue<Long> answers = new ConcurrentLinkedQueue<>();
        try (RedisVisitStore store = store()) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            for (int t = 0; t < THREADS; t++) {
                pool.execute(() -> {
                    for (int i = 0; i < VISITS_PER_THREAD; i++) {
                        answers.add(store.countVisit(session));
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(50, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(answers).containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, THREADS * VISITS_PER_THREAD).boxed().toList());
    }

    @Test
    void twoWorkersWithTheirOwnClientsShareOneCount() {
        String session = newSession();
        try (RedisVisitStore first = store(); RedisVisitStore second = store()) {
            assertThat(List.of(first.countVisit(session), second.countVisit(session), first.countVisit(session)))
                    .containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aStoreThatCannotReachRedisSaysSoAndNamesTheUrl() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (RedisVisitStore store = new RedisVisitStore("127.0.0.1", closedPort)) {
            assertThatThrownBy(() -> store.countVisit(newSession()))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("The visit counter is unavailable: cannot reach Redis at redis://127.0.0.1:" + closedPort);
        }
    }

    /**
     * A healthy Redis, but more visits at once than pooled connections: "busy", not "cannot
     * reach". {@code CLIENT PAUSE ... WRITE} holds every INCR for a moment, as a Redis that is
     * slow under load would, so the pool's only connection stays lent while a second visit waits.
     */
    @Test
    void whenEveryPooledConnectionIsInUseTheStoreSaysItIsBusyNotUnreachable() throws Exception {
        String session = newSession();
        try (RedisVisitStore store = new RedisVisitStore(redis.host(), redis.port(), 1, Duration.ofMillis(100));
                Jedis admin = new Jedis(redis.host(), redis.port())) {
            store.countVisit(session); // the pool's one connection, opened
            admin.clientPause(700, ClientPauseMode.WRITE); // under READ_TIMEOUT: the holder is answered
            CompletableFuture<Long> holder = CompletableFuture.supplyAsync(() -> store.countVisit(session));
            Thread.sleep(300); // the holder's INCR is now waiting on the pool's only connection

            assertThatThrownBy(() -> store.countVisit(session))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("The visit counter is busy: all 1 connections of worker PID")
                    .hasMessageContaining("Redis itself is up")
                    .hasMessageNotContaining("cannot reach");
            assertThat(holder.get(10, TimeUnit.SECONDS)).as("the visit that held the connection").isEqualTo(2L);
            assertThat(store.countVisit(session)).as("once the connection is free again").isEqualTo(3L);
        }
    }

    @Test
    void whileRedisIsDownVisitsFailAndOnceItIsBackTheyAreCountedAgain() {
        String session = newSession();
        try (RedisVisitStore store = store()) {
            store.countVisit(session);

            redis.stop();
            try {
                assertThatThrownBy(() -> store.countVisit(session)).isInstanceOf(StoreUnavailableException.class);
            } finally {
                redis.restart();
            }

            assertThat(store.countVisit(session)).isPositive();
        }
    }

    @Test
    void aConnectionLeftOverFromBeforeARedisRestartIsNotLentToTheNextVisit() {
        String session = newSession();
        try (RedisVisitStore store = store()) {
            store.countVisit(session);

            redis.restart();

            assertThat(store.countVisit(session)).as("the very next visit after the restart is counted").isPositive();
        }
    }
}
