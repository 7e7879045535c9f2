package dev.clusterservers.plumbing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RespawnerTest {
    private static final Duration QUICK = Duration.ofMillis(10);
    private static final Duration LONG_ENOUGH = Duration.ofSeconds(60);

    private final EventQueue<String> events = new EventQueue<>("respawner-test-timer");
    private final Respawner<String> respawner = new Respawner<>(events, slot -> "respawn " + slot,
            () -> new Backoff(Duration.ofSeconds(5), Duration.ofMillis(40), Duration.ofMillis(160)));

    @AfterEach
    void stopTimer() {
        events.cancelTimers();
    }

    @Test
    void aChildThatRanLongEnoughIsRespawnedAtOnce() {
        assertThat(respawner.scheduleRespawn(1, LONG_ENOUGH)).isZero();
        assertThat(events.poll(Duration.ofSeconds(5).toNanos())).isEqualTo("respawn 1");
    }

    @Test
    void theRespawnEventComesOnlyAfterTheBackoff() {
        long before = System.nanoTime();
        assertThat(respawner.scheduleRespawn(2, QUICK)).isEqualTo(Duration.ofMillis(40));
        assertThat(events.poll(Duration.ofSeconds(5).toNanos())).isEqualTo("respawn 2");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(35));
    }

    @Test
    void eachSlotHasABackoffOfItsOwn() {
        respawner.scheduleRespawn(1, QUICK);
        respawner.scheduleRespawn(1, QUICK);
        assertThat(respawner.backoff(1).quickDeaths()).isEqualTo(2);
        assertThat(respawner.scheduleRespawn(2, QUICK)).isEqualTo(Duration.ofMillis(40));
        assertThat(respawner.backoff(2).quickDeaths()).isEqualTo(1);
    }

    @Test
    void aCancelledTimerRespawnsNothing() {
        respawner.scheduleRespawn(1, QUICK);
        events.cancelTimers();
        assertThat(events.poll(Duration.ofMillis(200).toNanos())).isNull();
    }

    @Test
    void onlyChildrenStillAliveAreKilledWhenTheMasterEnds() {
        FakeProcess exited = new FakeProcess();
        FakeProcess alive = new FakeProcess();
        respawner.started(exited);
        respawner.started(alive);
        respawner.exited(exited);

        respawner.killChildren();

        assertThat(exited.destroyed).isFalse();
        assertThat(alive.destroyed).isTrue();
    }

    @Test
    void pollUntilAPassedDeadlineReturnsAtOnce() {
        events.add("waiting");
        assertThat(events.pollUntil(System.nanoTime() - 1)).isNull();
        assertThat(events.pollUntil(System.nanoTime() + Duration.ofSeconds(5).toNanos())).isEqualTo("waiting");
    }

    /** A process the test can watch being killed, with no JVM behind it. */
    private static final class FakeProcess extends Process {
        volatile boolean destroyed;

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() {
            return 0;
        }

        @Override
        public int exitValue() {
            return 0;
        }

        @Override
        public void destroy() {
            destroyed = true;
        }
    }
}
