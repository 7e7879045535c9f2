package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.protocol.AgentMessage;
import dev.clusterservers.processmanager.protocol.Wire;
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
            AgentMessage.Hello hello = null;
            String line;
            while ((line = Wire.readLine(in)) != null) {
                AgentMessage message = Wire.parse(line, AgentMessage.class);
                if (message instanceof AgentMessage.Hello h) {
                    hello = h;
                    events.accept(new Event.AgentHello(h.id(), h.pid(), h.jvm()));
                } else if (message instanceof AgentMessage.Ready && hello != null) {
                    events.accept(new Event.AgentReady(hello.id(), hello.pid()));
                } else if (message instanceof AgentMessage.Metrics metrics && hello != null) {
                    events.accept(new Event.AgentMetrics(hello.id(), hello.pid(), metrics.metrics()));
                } else if (message instanceof AgentMessage.Listening && hello != null) {
                    events.accept(new Event.AgentListening(hello.id(), hello.pid()));
                }
            }
        } catch (IOException e) {
            LOG.debug("an agent link ended: {}", e.toString());
        }
    }
}
