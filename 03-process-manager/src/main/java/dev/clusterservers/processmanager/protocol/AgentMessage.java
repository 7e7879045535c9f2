package dev.clusterservers.processmanager.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * What an instance's agent tells the daemon over its control link, one JSON object per line.
 * The agent writes these by hand (it must not bring Jackson into the app); the daemon reads
 * them with Jackson; the app's metrics client writes {@link Metrics} the same way.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AgentMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = AgentMessage.Ready.class, name = "ready"),
    @JsonSubTypes.Type(value = AgentMessage.Metrics.class, name = "metrics"),
    @JsonSubTypes.Type(value = AgentMessage.Listening.class, name = "listening"),
})
public sealed interface AgentMessage {
    /** Hands the message to its own method of {@code handler}: exhaustive at compile time, as {@link Request}. */
    <R> R accept(Handler<R> handler);

    /** One method per message. */
    interface Handler<R> {
        R hello(Hello message);

        R ready(Ready message);

        R listening(Listening message);

        R metrics(Metrics message);
    }

    /** First line: which instance this is, and the JVM it runs on (for {@code jpm monit}). */
    record Hello(int id, long pid, String jvm) implements AgentMessage {
        public <R> R accept(Handler<R> handler) {
            return handler.hello(this);
        }
    }

    /** The app called {@code Ready.signal()}: with {@code wait_ready}, this is what "ready" means. */
    record Ready() implements AgentMessage {
        public <R> R accept(Handler<R> handler) {
            return handler.ready(this);
        }
    }

    /** With a shared listener: the app's server channel became it (the app bound the managed port). */
    record Listening() implements AgentMessage {
        public <R> R accept(Handler<R> handler) {
            return handler.listening(this);
        }
    }

    /** The app's own metrics, all of them, about once a second; the daemon keeps the latest. */
    record Metrics(List<AppMetric> metrics) implements AgentMessage {
        public Metrics {
            metrics = List.copyOf(metrics);
        }

        public <R> R accept(Handler<R> handler) {
            return handler.metrics(this);
        }
    }
}
