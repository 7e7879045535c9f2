package dev.clusterservers.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What Linux's {@code /proc} says about a process, for figures that hold on a busy machine:
 * CPU time spent (not wall time, which depends on who else runs), memory resident and
 * proportionally shared, and when the process was spawned.
 *
 * <p>Times are in the kernel's clock for {@code /proc}: clock ticks of {@value #TICKS_PER_SECOND}
 * per second ({@code USER_HZ}, which {@code getconf CLK_TCK} prints; Linux fixes it at 100 for
 * user space on every common architecture), counted since boot.
 */
final class ProcFs {
    static final int TICKS_PER_SECOND = 100;

    /** Resident and proportional set size of one process, in KiB: PSS splits each shared page between its sharers. */
    record Memory(long rssKiB, long pssKiB) { }

    private ProcFs() {
    }

    /**
     * User plus system CPU time of every thread of the process ({@code /proc/PID/stat} fields
     * 14 and 15), in ticks; empty if the process is gone.
     */
    static OptionalLong cpuTicks(long pid) {
        String[] fields = statFields(pid);
        return fields == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    }

    /** The CPU ticks of all these processes together; one that has exited counts nothing. */
    static long cpuTicks(Collection<Long> pids) {
        return pids.stream().mapToLong(pid -> cpuTicks(pid).orElse(0)).sum();
    }

    /** When the process was spawned (field 22, {@code starttime}), in seconds since boot; empty if it is gone. */
    static OptionalDouble startedSeconds(long pid) {
        String[] fields = statFields(pid);
        return fields == null ? OptionalDouble.empty() : OptionalDouble.of(Long.parseLong(fields[19]) / (double) TICKS_PER_SECOND);
    }

    /** Now, in seconds since boot ({@code /proc/uptime}): the clock {@link #startedSeconds} counts in. */
    static double uptimeSeconds() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/uptime: this comparison needs Linux", e);
        }
    }

    /** {@code Rss} and {@code Pss} of {@code /proc/PID/smaps_rollup} (Linux 4.14+); empty if the process is gone. */
    static Optional<Memory> memory(long pid) {
        try {
            long rss = -1;
            long pss = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Rss:")) {
                    rss = kiB(line);
                } else if (line.startsWith("Pss:")) {
                    pss = kiB(line);
                }
            }
            return rss < 0 || pss < 0 ? Optional.empty() : Optional.of(new Memory(rss, pss));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long kiB(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** The fields after the command name, which is in parentheses and may hold spaces: index 0 is field 3 (state). */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }
}
