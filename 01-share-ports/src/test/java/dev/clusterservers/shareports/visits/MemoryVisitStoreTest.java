package dev.clusterservers.shareports.visits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MemoryVisitStoreTest {
    private static final int THREADS = 8;
    private static final int VISITS_PER_THREAD = 1_000;

    @Test
    void eachSessionIsCountedFromOne() {
        try (MemoryVisitStore store = new MemoryVisitStore()) {
            assertThat(List.of(store.countVisit("a"), store.countVisit("a"), store.countVisit("b"), store.countVisit("a")))
                    .containsExactly(1L, 2L, 1L, 3L);
            assertThat(store.describe()).isEqualTo("memory");
        }
    }

    @Test
    void concurrentVisitsInOneProcessAreAllCounted() throws Exception {
        ConcurrentLinkedQueue<Long> answers = new ConcurrentLinkedQueue<>();
        try (MemoryVisitStore store = new MemoryVisitStore()) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            for (int t = 0; t < THREADS; t++) {
                pool.execute(() -> {
                    for (int i = 0; i < VISITS_PER_THREAD; i++) {
                        answers.add(store.countVisit("one-session"));
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(answers).containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, THREADS * VISITS_PER_THREAD).boxed().toList());
    }

    @Test
    void twoWorkersAreTwoHeapsAndEachCountsOnlyTheVisitsItServed() {
        try (MemoryVisitStore first = new MemoryVisitStore(); MemoryVisitStore second = new MemoryVisitStore()) {
            first.countVisit("s");
            first.countVisit("s");

            assertThat(second.countVisit("s")).as("the second worker never saw the first two visits").isEqualTo(1);
        }
    }
}
