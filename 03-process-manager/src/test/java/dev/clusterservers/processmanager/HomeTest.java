package dev.clusterservers.processmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HomeTest {
    @Test
    void jpmHomeWinsOverHome() {
        assertThat(Home.fromEnvironment(Map.of("JPM_HOME", "/srv/jpm", "HOME", "/tmp/x")).dir())
                .isEqualTo(Path.of("/srv/jpm"));
    }

    @Test
    void homeIsHonouredWhenSetAsPm2DoesWithItsDotPm2() {
        assertThat(Home.fromEnvironment(Map.of("HOME", "/tmp/x")).dir()).isEqualTo(Path.of("/tmp/x/.jpm"));
    }

    @Test
    void withNeitherTheAccountsHomeIsUsed() {
        assertThat(Home.fromEnvironment(Map.of()).dir())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".jpm").toAbsolutePath());
    }

    @Test
    void blankValuesCountAsUnset() {
        assertThat(Home.fromEnvironment(Map.of("JPM_HOME", " ", "HOME", "")).dir())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".jpm").toAbsolutePath());
    }
}
