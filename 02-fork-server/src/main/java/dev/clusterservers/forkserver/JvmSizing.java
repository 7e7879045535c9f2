package dev.clusterservers.forkserver;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The heap and garbage collector of every JVM in this lesson, in one place. Left alone, a
 * JVM sizes its heap from the machine (a quarter of its memory) and picks G1: on a 24 GB
 * machine that is a 6 GB heap the master grows into under load and keeps, and five such
 * JVMs on two cores. So each role is sized on purpose:
 *
 * <ul>
 *   <li>a <b>child</b> holds one request per thread, each at most {@code --max-body}: a small
 *       heap and the serial collector (one GC thread, no concurrent work that competes with
 *       its siblings for the two cores). The master puts {@link #CHILD} on every child's
 *       command line.
 *   <li>the <b>master</b> holds every request in flight, bodies included, for all children:
 *       a larger ceiling. A JVM cannot size its own heap once started, so a master started
 *       without {@code -Xmx} runs itself again with {@link #MASTER} ({@link MasterLauncher});
 *       one started with a ceiling (the tests start it with {@link #MASTER}) keeps its own.
 * </ul>
 *
 * Thread pools and start-up flags that tune a child belong here too, beside its heap.
 */
final class JvmSizing {
    /** Every child JVM: a heap that fits several beside each other, one GC thread. */
    static final List<String> CHILD = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m");
    /** What the master should be started with (it cannot give them to itself). */
    static final List<String> MASTER = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx512m");

    private JvmSizing() {
    }

    /** Whether this JVM's heap ceiling was chosen on its command line (or JAVA_TOOL_OPTIONS), not defaulted. */
    static boolean heapChosen() {
        return heapChosen(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** Whether these JVM arguments choose a heap ceiling. */
    static boolean heapChosen(List<String> jvmArguments) {
        return jvmArguments.stream().anyMatch(arg -> arg.startsWith("-Xmx") || arg.startsWith("-XX:MaxHeapSize=")
                || arg.startsWith("-XX:MaxRAMPercentage=") || arg.startsWith("-XX:MaxRAM="));
    }

    /** This JVM's heap ceiling and collector, and whether the ceiling was chosen or defaulted. */
    static String describeThisJvm() {
        long maxMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        boolean chosen = heapChosen();
        String gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(" + "));
        return "max heap " + maxMb + " MB" + (chosen ? "" : " (no -Xmx: the JVM's default from this machine's memory)")
                + ", GC " + gc;
    }
}
