package dev.clusterservers.processmanager.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** The daemon's one answer to a {@link Request}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Reply.Done.class, name = "done"),
    @JsonSubTypes.Type(value = Reply.Failed.class, name = "failed"),
    @JsonSubTypes.Type(value = Reply.Busy.class, name = "busy"),
})
public sealed interface Reply {
    /** It worked; {@code processes} is the table after it (empty for {@code kill}). */
    record Done(String message, List<ProcessInfo> processes) implements Reply { }

    /** It did not; the message says why in a sentence a person can act on. */
    record Failed(String error) implements Reply { }

    /** Not even read: the daemon holds as many connections as it takes; the CLI tries again a little later. */
    record Busy(String error) implements Reply { }
}
