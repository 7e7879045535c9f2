package dev.clusterservers.processmanager.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU and memory of a process, read from {@code /proc/<pid>} the way {@code top} does, and
 * the only way jpm measures them ({@code list}, {@code describe}, {@code monit}, {@code --json},
 * the memory limit), so the figures always agree with each other.
 *
 * <p>CPU is the process's user + system time (fields 14 and 15 of {@code /proc/<pid>/stat},
 * in clock ticks) used between two samples a second apart, divided by the wall time between
 * them: 100% is one whole core. That is {@code top}'s and PM2's definition, chosen because a
 * monitor answers "what is it doing now?". {@code ps -o %cpu} divides the same ticks by the
 * whole lifetime instead, so for a process whose load is steady the two are the same number,
 * and for a JVM that burned CPU starting up and is idle now, {@code ps} shows more.
 *
 * <p>Memory is {@code VmRSS} from {@code /proc/<pid>/status}: resident memory, the same
 * counter {@code ps -o rss} shows. No library (OSHI) is needed for three numbers in two files.
 */
public final class ProcStats {
    /** Clock ticks per second of {@code /proc/<pid>/stat}: 100 on every Linux build that matters. */
    static final int CLOCK_TICKS_PER_SECOND = 100;
    private static final int UTIME_FIELD = 14;
    private static final int START_TIME_FIELD = 22;

    private record Sample(long ticks, long nanos) { }

    private final Map<Long, Sample> last = new HashMap<>();
    private final Map<Long, Double> cpu = new HashMap<>();

    /** Takes a new CPU sample of {@code pid}; call about once a second. */
    public void sample(long pid) {
        long ticks = cpuTicks(pid);
        if (ticks < 0) {
            forget(pid);
            return;
        }
        Sample now = new Sample(ticks, System.nanoTime());
        Sample before = last.put(pid, now);
        if (before != null && now.nanos > before.nanos) {
            double seconds = (now.nanos - before.nanos) / 1e9;
            cpu.put(pid, 100.0 * (now.ticks - before.ticks) / CLOCK_TICKS_PER_SECOND / seconds);
        }
    }

    /** CPU % between the last two samples; 0 before there are two. */
    public double cpuPercent(long pid) {
        return cpu.getOrDefault(pid, 0.0);
    }

    public void forget(long pid) {
        last.remove(pid);
        cpu.remove(pid);
    }

    /** Resident memory in bytes, or 0 if the process is gone. */
    public static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** utime + stime in clock ticks, or -1 if the process is gone. */
    static long cpuTicks(long pid) {
        try {
            String[] stat = stat(pid);
            return field(stat, UTIME_FIELD) + field(stat, UTIME_FIELD + 1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * How long ago the process started, to the clock tick: its start (field 22 of
     * {@code /proc/<pid>/stat}, in ticks since boot) against {@code /proc/uptime}. Null if unknown.
     * Finer than {@link ProcessHandle.Info#startInstant()}, which counts from a boot time in whole seconds.
     */
    public static Duration age(long pid) {
        try {
            double sinceBoot = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            double startedAfterBoot = (double) field(stat(pid), START_TIME_FIELD) / CLOCK_TICKS_PER_SECOND;
            return Duration.ofMillis(Math.max(0, Math.round((sinceBoot - startedAfterBoot) * 1_000)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The fields of {@code /proc/<pid>/stat} after the command (field 2, in parentheses, may hold spaces). */
    private static String[] stat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** Field {@code n}, counted from 1 as {@code man proc} counts, of what {@link #stat} returned. */
    private static long field(String[] stat, int n) {
        return Long.parseLong(stat[n - 3]);
    }
}
