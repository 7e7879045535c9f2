package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.lifecycle.Lifecycle;
import dev.clusterservers.processmanager.protocol.AppMetric;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything that happens to the daemon. Sockets, process exits, timers and signals only put
 * one of these on the queue; the daemon's one loop hands each to its method of {@link Handler},
 * so no two threads ever change the process table at once.
 *
 * <p>Exhaustive at compile time by a visitor: Java 17, our target, has no pattern-matching switch
 * over a sealed type (a preview there), and an {@code instanceof} chain only fails at run time. A
 * new event must implement {@link #accept}, so it needs a method in {@link Handler}, and the daemon
 * does not compile until it handles it: no event is dropped.
 */
sealed interface Event {
    void accept(Handler handler);

    /** One method per event. */
    interface Handler {
        void requestReceived(RequestReceived event);

        void processExited(ProcessExited event);

        void agentHello(AgentHello event);

        void agentReady(AgentReady event);

        void agentListening(AgentListening event);

        void agentMetrics(AgentMetrics event);

        void restartDue(RestartDue event);

        void tick(Tick event);

        void stopRequested(StopRequested event);
    }

    /** A CLI asked something; {@code reply} sends the answer (at once, or when it is done). */
    record RequestReceived(Request request, Consumer<Reply> reply) implements Event {
        public void accept(Handler handler) {
            handler.requestReceived(this);
        }
    }

    /** An instance's process ended; the exit value of a signalled process is 128 + the signal. */
    record ProcessExited(InstanceHandle handle, int exitValue) implements Event {
        public void accept(Handler handler) {
            handler.processExited(this);
        }
    }

    /** An instance's agent connected: the JVM is up and running our code. */
    record AgentHello(int id, long pid, String jvm) implements Event {
        public void accept(Handler handler) {
            handler.agentHello(this);
        }
    }

    /** An app with {@code wait_ready} said it is ready. */
    record AgentReady(int id, long pid) implements Event {
        public void accept(Handler handler) {
            handler.agentReady(this);
        }
    }

    /** With a shared listener: the app bound the managed port, so its server channel is the shared socket. */
    record AgentListening(int id, long pid) implements Event {
        public void accept(Handler handler) {
            handler.agentListening(this);
        }
    }

    /** An app published its metrics; they replace the ones it sent before. */
    record AgentMetrics(int id, long pid, List<AppMetric> metrics) implements Event {
        public void accept(Handler handler) {
            handler.agentMetrics(this);
        }
    }

    /** A back-off delay ended; stale unless the instance is still in the state that scheduled it. */
    record RestartDue(Instance instance, Lifecycle.WaitingRestart<InstanceHandle> scheduledIn) implements Event {
        public void accept(Handler handler) {
            handler.restartDue(this);
        }
    }

    /** The heartbeat: readiness, kill deadlines, memory limits, CPU samples. */
    record Tick() implements Event {
        public void accept(Handler handler) {
            handler.tick(this);
        }
    }

    /** SIGTERM or SIGINT to the daemon: the same as {@code jpm kill}. */
    record StopRequested(String why) implements Event {
        public void accept(Handler handler) {
            handler.stopRequested(this);
        }
    }
}
