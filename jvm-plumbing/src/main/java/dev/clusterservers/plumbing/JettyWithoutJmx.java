package dev.clusterservers.plumbing;

/**
 * Keeps Jetty from starting JMX. Jetty's {@code MemoryUtils} asks JMX for the CPU's cache
 * line size when none is given, and loading JMX is a large share of a small server's start-up
 * time and memory. Giving the size as a system property skips the question.
 */
public final class JettyWithoutJmx {
    /** The system property Jetty reads, in references (of 4 bytes with compressed oops) per cache line. */
    static final String PROPERTY = "org.eclipse.jetty.util.referencesPerCacheLine";
    /** 64-byte cache lines, what nearly every x86 and ARM server has. */
    static final String REFERENCES_PER_64_BYTE_LINE = "16";

    private JettyWithoutJmx() {
    }

    /**
     * Call before the first Jetty class loads (before {@code Javalin.create} or {@code new
     * Server}): Jetty reads the property once, in a static initialiser. A value given on the
     * command line ({@code -D}) wins.
     */
    public static void beforeJettyLoads() {
        System.getProperties().putIfAbsent(PROPERTY, REFERENCES_PER_64_BYTE_LINE);
    }
}
