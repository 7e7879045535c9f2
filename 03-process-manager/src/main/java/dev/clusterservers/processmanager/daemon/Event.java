package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.protocol.AppMetric;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything that happens to the daemon. Sockets, process exits, timers and signals only put
 * one of these on the queue; the daemon's one loop handles each in the {@code handleX} of the
 * same name, so no two threads ever change the process table at once.
 */
sealed interface Event {
    /** A CLI asked something; {@code reply} sends the answer (at once, or when it is done). */
    record RequestReceived(Request request, Consumer<Reply> reply) implements Event { }

    /** An instance's process ended; the exit value of a signalled process is 128 + the signal. */
    record ChildExited(Child child, int exitValue) implements Event { }

    /** An instance's agent connected: the JVM is up and running our code. */
    record AgentHello(int id, long pid, String jvm) implements Event { }

    /** An app with {@code wait_ready} said it is ready. */
    record AgentReady(int id, long pid) implements Event { }

    /** With a shared listener: the app bound the managed port, so its server channel is the shared socket. */
    record AgentListening(int id, long pid) implements Event { }

    /** An app published its metrics; they replace the ones it sent before. */
    record AgentMetrics(int id, long pid, List<AppMetric> metrics) implements Event { }

    /** A back-off delay ended; stale unless the instance is still in the state that scheduled it. */
    record RestartDue(Instance instance, Lifecycle.WaitingRestart<Child> scheduledIn) implements Event { }

    /** The heartbeat: readiness, kill deadlines, memory limits, CPU samples. */
    record Tick() implements Event { }

    /** SIGTERM or SIGINT to the daemon: the same as {@code jpm kill}. */
    record StopRequested(String why) implements Event { }
}
