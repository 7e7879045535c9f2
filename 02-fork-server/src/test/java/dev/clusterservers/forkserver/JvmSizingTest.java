package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmSizingTest {
    @Test
    void theMasterFlagsChooseAHeapCeiling() {
        assertThat(JvmSizing.heapChosen(JvmSizing.MASTER)).isTrue();
    }

    @Test
    void anyWayOfGivingACeilingCounts() {
        assertThat(JvmSizing.heapChosen(List.of("-Xmx1g"))).isTrue();
        assertThat(JvmSizing.heapChosen(List.of("-XX:MaxHeapSize=536870912"))).isTrue();
        assertThat(JvmSizing.heapChosen(List.of("-XX:MaxRAMPercentage=10"))).isTrue();
    }

    @Test
    void aPlainJavaJarOrAFloorAloneHasNoCeiling() {
        assertThat(JvmSizing.heapChosen(List.of())).isFalse();
        assertThat(JvmSizing.heapChosen(List.of("-Xms64m", "-XX:+UseSerialGC", "-XX:InitialRAMPercentage=5"))).isFalse();
    }
}
