package dev.clusterservers.plumbing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExitCodeTest {
    @Test
    void anExitValueAbove128IsTheSignalThatKilledTheChild() {
        assertThat(ExitCode.describe(137)).isEqualTo("signal 9 (SIGKILL)");
        assertThat(ExitCode.describe(143)).isEqualTo("signal 15 (SIGTERM)");
    }

    @Test
    void anOrdinaryExitValueIsAnExitCode() {
        assertThat(ExitCode.describe(0)).isEqualTo("exit code 0");
        assertThat(ExitCode.describe(3)).isEqualTo("exit code 3");
    }
}
