package dev.clusterservers.plumbing;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into events instead of a JVM exit.
 *
 * <p>By default the JVM answers SIGTERM by running its shutdown hooks and exiting with
 * 143 (128 + 15), with no say in the order of things. A cluster master wants what gunicorn
 * does: the signal only enqueues a request, and the master's own loop stops the workers,
 * waits for them and exits 0. {@code sun.misc.Signal} (module {@code jdk.unsupported}, open
 * to every application) is the JDK's only door to that.
 */
public final class Signals {
    private Signals() {
    }

    /** Calls {@code handler} with the signal's name ("TERM", "INT") when one arrives. */
    public static void onTerminate(java.util.function.Consumer<String> handler) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> handler.accept(signal.getName()));
        }
    }
}
