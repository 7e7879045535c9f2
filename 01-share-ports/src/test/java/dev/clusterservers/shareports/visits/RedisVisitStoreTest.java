package dev.clusterservers.shareports.visits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clusterservers.shareports.RedisServer;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
