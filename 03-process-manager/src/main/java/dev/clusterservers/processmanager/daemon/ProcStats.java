package dev.clusterservers.processmanager.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Field 2, the command, is in parentheses and may hold spaces: count fields after its ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            int offset = 3;
            return Long.parseLong(fields[UTIME_FIELD - offset]) + Long.parseLong(fields[UTIME_FIELD + 1 - offset]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
