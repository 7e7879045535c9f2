package dev.clusterservers.processmanager.config;

import java.util.List;

/**
 * How many cores an instance's JVM believes it has. A JVM sizes itself by the cores it sees:
 * its JIT compiler threads, its garbage collector (a parallel one from two cores on), Jetty's
 * selectors and acceptors. Four instances on two cores would each size for two, so eight JIT
 * threads, four parallel collectors and their threads compete for the cores the requests
 * need. Lesson 01's master tells each worker its share; jpm does the same, in this order:
 *
 * <ol>
 *   <li>the app's {@code jvm_args} say it ({@code -XX:ActiveProcessorCount=}): jpm adds nothing;</li>
 *   <li>one instance: jpm adds nothing, it sees the machine;</li>
 *   <li>else the cores divided by the instances, at least one:
 *       {@code -XX:ActiveProcessorCount=N}. With one core the JVM also picks the serial
 *       collector on its own, as lesson 01 asks with {@code -XX:+UseSerialGC}.</li>
 * </ol>
 */
public final class ProcessorShare {
    private static final String FLAG = "-XX:ActiveProcessorCount=";

    /** The count and who chose it, as {@code describe} shows it, and the flags that say it. */
    public record Choice(int processors, String source, List<String> flags) { }

    private ProcessorShare() {
    }

    public static Choice of(AppSpec spec, int cores) {
        for (String arg : spec.jvmArgs()) {
            if (arg.startsWith(FLAG)) {
                return new Choice(parse(arg.substring(FLAG.length()), cores), "jvm_args", List.of());
            }
        }
        int instances = Math.max(1, spec.instances());
        int share = Math.max(1, cores / instances);
        if (share >= cores) {
            return new Choice(cores, "the machine's " + cores + " cores", List.of());
        }
        return new Choice(share, "jpm's default: " + cores + " cores ÷ " + instances + " instances",
                List.of(FLAG + share));
    }

    private static int parse(String value, int fallback) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
