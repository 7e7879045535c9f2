package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.protocol.AgentMessage;
import dev.clusterservers.processmanager.protocol.JsonLines;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances' door. Each agent connects once and stays connected for its process's
 * life; the daemon keeps its end open and never writes, so that the end closing is how an
 * instance learns its daemon died. A line that is not a message the daemon knows ends that
 * link's reading, never the daemon.
 */
final class AgentServer {
    private static final Logger LOG = LoggerFactory.getLogger("daemon");
    /** One link per running process (a reload adds one per instance for a moment); a thread each. */
    static final int MAX_LINKS = 512;

    private AgentServer() {
    }

    static void serve(SocketChannel connection, Consumer<Event> events) {
        try (connection) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(connection));
            Link link = new Link();
            String line;
            while ((line = JsonLines.readLine(in)) != null) {
                Event event = JsonLines.parse(line, AgentMessage.class).accept(link);
                if (event != null) {
                    events.accept(event);
                }
            }
        } catch (IOException e) {
            LOG.debug("an agent link ended: {}", e.toString());
        }
    }

    /** What one link's messages mean to the daemon: each names the instance its hello named; before a hello, nothing. */
    private static final class Link implements AgentMessage.Handler<Event> {
        private AgentMessage.Hello hello;

        @Override
        public Event hello(AgentMessage.Hello message) {
            hello = message;
            return new Event.AgentHello(message.id(), message.pid(), message.jvm());
        }

        @Override
        public Event ready(AgentMessage.Ready message) {
            return hello == null ? null : new Event.AgentReady(hello.id(), hello.pid());
        }

        @Override
        public Event listening(AgentMessage.Listening message) {
            return hello == null ? null : new Event.AgentListening(hello.id(), hello.pid());
        }

        @Override
        public Event metrics(AgentMessage.Metrics message) {
            return hello == null ? null : new Event.AgentMetrics(hello.id(), hello.pid(), message.metrics());
        }
    }
}
