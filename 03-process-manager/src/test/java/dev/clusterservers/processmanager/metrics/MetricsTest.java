package dev.clusterservers.processmanager.metrics;

import dev.clusterservers.processmanager.protocol.AgentMessage;
import dev.clusterservers.processmanager.protocol.AppMetric;
import dev.clusterservers.processmanager.protocol.JsonLines;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsTest {
    static final long SECOND = 1_000_000_000L;
    final AtomicLong clock = new AtomicLong(100 * SECOND);

    SlidingWindow window(int seconds) {
        return new SlidingWindow(seconds, clock::get);
    }

    void advanceSeconds(long seconds) {
        clock.addAndGet(seconds * SECOND);
    }

    @Test
    void aMeterCountsOnlyCompleteSecondsSoItsRateDoesNotDipAtEachNewSecond() {
        Meter meter = new Meter(window(10), "req/s");
        for (int i = 0; i < 30; i++) {
            meter.mark();
        }
        assertThat(meter.value()).as("nothing complete yet").isZero();

        advanceSeconds(1);

        assertThat(meter.value()).isEqualTo(30.0);
    }

    @Test
    void aMeterIsTheMeanRateOverItsWindowAndForgetsOlderSeconds() {
        Meter meter = new Meter(window(4), "req/s");
        for (int second = 0; second < 8; second++) {
            for (int i = 0; i < (second < 4 ? 100 : 10); i++) {
                meter.mark();
            }
            advanceSeconds(1);
        }

        assertThat(meter.value()).as("the last four seconds had 10 each").isEqualTo(10.0);

        advanceSeconds(10);
        assertThat(meter.value()).as("idle for longer than the window").isZero();
    }

    @Test
    void aMeanIsTheAverageOfTheValuesInItsWindowAndHasNoValueWithoutAny() {
        Mean latency = new Mean(window(10), "ms");
        assertThat(latency.value()).isNaN();

        latency.update(2);
        latency.update(4);
        advanceSeconds(1);
        latency.update(9);
        advanceSeconds(1);

        assertThat(latency.value()).isEqualTo(5.0);
        advanceSeconds(20);
        assertThat(latency.value()).isNaN();
    }

    @Test
    void aCounterCountsUpAndDown() {
        Counter counter = new Counter();
        counter.inc();
        counter.inc(5);
        counter.dec();

        assertThat(counter.value()).isEqualTo(5.0);
    }

    @Test
    void askingTwiceForANameGivesTheSameMetricAndAnotherKindIsRefused() {
        Counter first = Metrics.counter("test.same-name");

        assertThat(Metrics.counter("test.same-name")).isSameAs(first);
        assertThatThrownBy(() -> Metrics.meter("test.same-name", "x/s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already a counter");
    }

    @Test
    void theHandWrittenMessageParsesAsTheDaemonsMetricsMessage() throws IOException {
        Map<String, Metric> metrics = new LinkedHashMap<>();
        Counter requests = new Counter();
        requests.inc(1234);
        metrics.put("requests", requests);
        metrics.put("latency \"mean\"", new Mean(window(10), "ms"));
        metrics.put("ratio", new Gauge(() -> 0.125, ""));

        AgentMessage parsed = JsonLines.parse(Publisher.json(metrics), AgentMessage.class);

        assertThat(parsed).isEqualTo(new AgentMessage.Metrics(java.util.List.of(
                new AppMetric("requests", "counter", "", 1234.0),
                new AppMetric("latency \"mean\"", "mean", "ms", null),
                new AppMetric("ratio", "gauge", "", 0.125))));
    }
}
