package dev.clusterservers.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/** What /proc says about this very JVM: no other process needed. */
class ProcFsTest {
    private final long self = ProcessHandle.current().pid();

    /** Spins until this thread has used 200 ms of CPU, by the JVM's own count: on a busy machine that takes longer, not fewer ticks. */
    @Test
    void cpuTimeGrowsByWhatThisProcessSpent() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = ProcFs.cpuTicks(self).orElseThrow();
        long cpuAtStart = threads.getCurrentThreadCpuTime();
        long spin = 0;
        while (threads.getCurrentThreadCpuTime() - cpuAtStart < 200_000_000L) {
            spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
        }
        long after = ProcFs.cpuTicks(self).orElseThrow();

        assertThat(spin).isNotNegative();
        // 200 ms is 20 ticks; the kernel's accounting is sampled, so allow a little less.
        assertThat(after - before).as("ticks for 200 ms of CPU").isGreaterThanOrEqualTo(15);
    }

    @Test
    void thisProcessStartedBeforeNowInTheSameClock() {
        double started = ProcFs.startedSeconds(self).orElseThrow();
        double now = ProcFs.uptimeSeconds();

        assertThat(started).isPositive().isLessThan(now);
    }

    @Test
    void proportionalMemoryIsNeverMoreThanResidentMemory() {
        ProcFs.Memory memory = ProcFs.memory(self).orElseThrow();

        assertThat(memory.pssKiB()).isPositive().isLessThanOrEqualTo(memory.rssKiB());
    }

    @Test
    void aProcessThatIsGoneHasNoFigures() {
        long gone = Long.MAX_VALUE / 2;

        assertThat(ProcFs.cpuTicks(gone)).isEmpty();
        assertThat(ProcFs.startedSeconds(gone)).isEmpty();
        assertThat(ProcFs.memory(gone)).isEmpty();
    }
}
