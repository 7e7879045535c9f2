package dev.clusterservers.processmanager.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What an instance's agent tells the daemon over its control link, one JSON object per line.
 * The agent writes these by hand (it must not bring Jackson into the app); the daemon reads
 * them with Jackson. App metrics (issue 5) will be a third type on the same link.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AgentMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = AgentMessage.Ready.class, name = "ready"),
})
public sealed interface AgentMessage {
    /** First line: which instance this is. */
    record Hello(int id, long pid) implements AgentMessage { }

    /** The app called {@code Ready.signal()}: with {@code wait_ready}, this is what "ready" means. */
    record Ready() implements AgentMessage { }
}
