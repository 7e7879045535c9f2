package dev.clusterservers.beyondonemachine.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimelineTest {
    @Test
    void failuresAreCountedByKindAndByMethod() {
        Timeline timeline = new Timeline(System.nanoTime());
        timeline.record("GET", Outcome.OK, "h1", "v1");
        timeline.record("GET", Outcome.OK, "h2", "v1");
        timeline.record("POST", Outcome.STATUS_5XX, null, null);
        timeline.record("GET", Outcome.RESET, null, null);
        assertThat(timeline.failed()).isEqualTo(2);
        assertThat(timeline.totals("POST").get(Outcome.STATUS_5XX)).isEqualTo(1);
        assertThat(timeline.totals("GET").get(Outcome.RESET)).isEqualTo(1);
        assertThat(timeline.answeredByHost()).containsEntry("h1", 1L).containsEntry("h2", 1L);
        assertThat(timeline.summary()).isEqualTo("4 requests: 2 ok, 2 failed (refused 0, reset 1, EOF before status 0, timeout 0, 5xx 1, 4xx 0)");
    }

    @Test
    void theLastSecondsShowWhichReleaseAnswersNow() {
        // A timeline whose start lies 5 s back: these answers fall in second 5.
        Timeline timeline = new Timeline(System.nanoTime() - 5_000_000_000L);
        timeline.record("GET", Outcome.OK, "h1", "v2");
        assertThat(timeline.answeredByReleaseInLast(1)).containsOnlyKeys("v2");
    }
}
