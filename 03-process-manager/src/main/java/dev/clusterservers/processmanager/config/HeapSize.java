package dev.clusterservers.processmanager.config;

import java.util.List;
import java.util.Locale;

/**
 * How large an instance's Java heap may grow. A JVM given no limit takes a quarter of the
 * machine's memory as its maximum heap, each JVM on its own: {@code instances: 4} would allow
 * the whole machine, and a process manager starts many JVMs. So jpm picks one, in this order:
 *
 * <ol>
 *   <li>the app's {@code jvm_args} say it ({@code -Xmx}, {@code -XX:MaxHeapSize},
 *       {@code -XX:MaxRAM...}): jpm adds nothing;</li>
 *   <li>{@code max_memory_restart} is set: half of it, because a JVM's resident memory is its
 *       heap plus about as much again (class metadata, compiled code, thread stacks, GC
 *       tables), and a heap as large as the limit would only get the instance reloaded;</li>
 *   <li>else {@link #DEFAULT_BYTES}, enough for a small web app such as the example's.</li>
 * </ol>
 */
public final class HeapSize {
    public static final long DEFAULT_BYTES = 128L << 20;
    /** Below this a JVM with a web server does not start. */
    static final long SMALLEST_BYTES = 16L << 20;
    private static final List<String> HEAP_FLAGS = List.of(
            "-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAM=", "-XX:MaxRAMPercentage=", "-XX:MaxRAMFraction=");

    /** The limit and who chose it, as {@code list} and {@code describe} show it. */
    public record Choice(String size, String source, List<String> flags) { }

    private HeapSize() {
    }

    public static Choice of(AppSpec spec) {
        for (String arg : spec.jvmArgs()) {
            for (String flag : HEAP_FLAGS) {
                if (arg.startsWith(flag)) {
                    return new Choice(arg.startsWith("-Xmx") ? arg.substring(4).toLowerCase(Locale.ROOT) : arg,
                            "jvm_args", List.of());
                }
            }
        }
        if (spec.maxMemoryRestartBytes() > 0) {
            long half = Math.max(SMALLEST_BYTES, spec.maxMemoryRestartBytes() / 2);
            return choice(half, "half of max_memory_restart");
        }
        return choice(DEFAULT_BYTES, "jpm's default");
    }

    private static Choice choice(long bytes, String source) {
        long mebibytes = bytes >> 20;
        return new Choice(mebibytes + "m", source, List.of("-Xmx" + mebibytes + "m"));
    }
}
