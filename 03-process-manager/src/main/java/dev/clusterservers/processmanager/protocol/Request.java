package dev.clusterservers.processmanager.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.clusterservers.processmanager.config.AppSpec;
import java.time.Duration;
import java.util.List;

/**
 * What the CLI asks the daemon: one JSON object per line, its {@code "type"} naming the verb,
 * e.g. {@code {"type":"stop","target":"api"}}. A target is an app's name, an instance id, or
 * {@code all}. The daemon answers each with one {@link Reply}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Request.Start.class, name = "start"),
    @JsonSubTypes.Type(value = Request.ListAll.class, name = "list"),
    @JsonSubTypes.Type(value = Request.Describe.class, name = "describe"),
    @JsonSubTypes.Type(value = Request.Stop.class, name = "stop"),
    @JsonSubTypes.Type(value = Request.Restart.class, name = "restart"),
    @JsonSubTypes.Type(value = Request.Reload.class, name = "reload"),
    @JsonSubTypes.Type(value = Request.Delete.class, name = "delete"),
    @JsonSubTypes.Type(value = Request.Scale.class, name = "scale"),
    @JsonSubTypes.Type(value = Request.Save.class, name = "save"),
    @JsonSubTypes.Type(value = Request.Resurrect.class, name = "resurrect"),
    @JsonSubTypes.Type(value = Request.Kill.class, name = "kill"),
})
public sealed interface Request {
    /**
     * Hands the request to its own method of {@code handler}. Exhaustive at compile time, like the
     * daemon's events: Java 17 has no pattern-matching switch over a sealed type, and an
     * {@code instanceof} chain lets a new request compile and never be answered.
     */
    void accept(Handler handler);

    /** One method per request type: the daemon's verbs. */
    interface Handler {
        void start(Start request);

        void listAll(ListAll request);

        void describe(Describe request);

        void stop(Stop request);

        void restart(Restart request);

        void reload(Reload request);

        void delete(Delete request);

        void scale(Scale request);

        void save(Save request);

        void resurrect(Resurrect request);

        void kill(Kill request);
    }

    /**
     * Start these apps (already checked by the CLI); replies once each instance is online or has
     * failed, or after {@code waitMs} with those still launching, whichever comes first.
     */
    record Start(List<AppSpec> apps, long waitMs) implements Request {
        /** Long enough for a few JVMs to start on two busy cores; {@code jpm start --wait} changes it. */
        public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

        public void accept(Handler handler) {
            handler.start(this);
        }
    }

    record ListAll() implements Request {
        public void accept(Handler handler) {
            handler.listAll(this);
        }
    }

    record Describe(String target) implements Request {
        public void accept(Handler handler) {
            handler.describe(this);
        }
    }

    /** Graceful stop; replies once the processes have exited. The apps stay in the list. */
    record Stop(String target) implements Request {
        public void accept(Handler handler) {
            handler.stop(this);
        }
    }

    /** Stop, then start: a short outage, as with PM2. */
    record Restart(String target) implements Request {
        public void accept(Handler handler) {
            handler.restart(this);
        }
    }

    /** Zero-downtime: one instance at a time, the new one ready before the old one stops. */
    record Reload(String target) implements Request {
        public void accept(Handler handler) {
            handler.reload(this);
        }
    }

    /** Stop and forget. */
    record Delete(String target) implements Request {
        public void accept(Handler handler) {
            handler.delete(this);
        }
    }

    /** {@code change} is "4" (to four), "+2" or "-1". */
    record Scale(String name, String change) implements Request {
        public void accept(Handler handler) {
            handler.scale(this);
        }
    }

    /** Write the running apps to the dump file, for {@link Resurrect}. */
    record Save() implements Request {
        public void accept(Handler handler) {
            handler.save(this);
        }
    }

    /** Start the saved apps that are not running, each afresh; replies as {@link Start} with its default wait. */
    record Resurrect() implements Request {
        public void accept(Handler handler) {
            handler.resurrect(this);
        }
    }

    /** Stop every app, then the daemon itself. */
    record Kill() implements Request {
        public void accept(Handler handler) {
            handler.kill(this);
        }
    }
}
