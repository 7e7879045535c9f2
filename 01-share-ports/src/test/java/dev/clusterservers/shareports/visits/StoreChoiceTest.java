package dev.clusterservers.shareports.visits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoreChoiceTest {
    @Test
    void memoryIsTheEmbeddedStore() {
        StoreChoice choice = StoreChoice.parse("memory");
        assertThat(choice).isEqualTo(new StoreChoice.Memory());
        try (VisitStore store = choice.open()) {
            assertThat(store).isInstanceOf(MemoryVisitStore.class);
        }
    }

    @Test
    void aRedisUrlNamesTheHostAndPortTheWorkersConnectTo() {
        StoreChoice choice = StoreChoice.parse("redis://localhost:6380");
        assertThat(choice).isEqualTo(new StoreChoice.Redis("localhost", 6380));
        assertThat(choice.flag()).isEqualTo("redis://localhost:6380");
    }

    @Test
    void aRedisUrlWithoutAPortMeansRedissOwnPort() {
        assertThat(StoreChoice.parse("redis://cache.internal")).isEqualTo(new StoreChoice.Redis("cache.internal", 6379));
        assertThat(StoreChoice.parse("redis://cache.internal:7000/")).isEqualTo(new StoreChoice.Redis("cache.internal", 7000));
    }

    @Test
    void anIpv6HostKeepsItsBracketsInTheFlagOnly() {
        StoreChoice choice = StoreChoice.parse("redis://[::1]:6380");
        assertThat(choice).isEqualTo(new StoreChoice.Redis("::1", 6380));
        assertThat(choice.flag()).isEqualTo("redis://[::1]:6380");
    }

    @Test
    void aWorkerGetsTheSameChoiceBackFromTheFlagTheMasterPassesIt() {
        StoreChoice choice = StoreChoice.parse("redis://10.0.0.5:6380");
        assertThat(StoreChoice.parse(choice.flag())).isEqualTo(choice);
        assertThat(StoreChoice.parse(new StoreChoice.Memory().flag())).isEqualTo(new StoreChoice.Memory());
    }

    @ParameterizedTest(name = "''{0}'': {1}")
    @CsvSource(delimiter = '|', value = {
        "redis://                      | it is not a URL",
        "redis://local host:6379       | it is not a URL",
        "redis//localhost              | it is not a URL",
        "''                            | it is not a URL",
        "localhost:6379                | the scheme must be redis",
        "http://localhost:6379         | the scheme must be redis",
        "redis:localhost               | it names no valid host and port",
        "redis://localhost:port        | it names no valid host and port",
        "redis://:6379                 | it names no valid host and port",
        "redis://localhost:0           | the port must be between 1 and 65535",
        "redis://localhost:99999       | the port must be between 1 and 65535",
        "redis://user:secret@localhost | only a host and a port are supported",
        "redis://localhost:6379/0      | only a host and a port are supported",
        "Memory                        | it is not a URL",
    })
    void aMalformedValueSaysWhatIsWrongAndWhatIsExpected(String value, String why) {
        assertThatThrownBy(() -> StoreChoice.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + value + "' is not a store: " + why
                        + "; expected memory or redis://host:port, e.g. redis://localhost:6379");
    }
}
