package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.protocol.JsonLines;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The CLI's door: one request line in, one reply line out, per connection. A malformed line
 * gets a {@link Reply.Failed} and changes nothing; a CLI that goes away before its reply only
 * makes the reply's write fail, and the request still completes.
 *
 * <p>What a client can hold is bounded. A thread reads each request, at most
 * {@link #MAX_READERS} at once; a client that sends nothing within {@link #IDLE_TIMEOUT}, or no
 * whole line within {@link #REQUEST_DEADLINE}, is closed; one over the cap is told
 * {@link Reply.Busy} at once (the CLI tries again). A request read costs no thread while it
 * waits for its reply.
 */
final class ControlServer {
    static final int MAX_READERS = 32;
    /** The CLI writes its request as soon as it connects. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
    /** The largest request (1 MiB) takes milliseconds to write. */
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);

    private ControlServer() {
    }

    static void serve(SocketChannel connection, Consumer<Event> events) {
        try {
            String line = JsonLines.readLine(connection, IDLE_TIMEOUT, REQUEST_DEADLINE);
            if (line == null) {
                connection.close();
                return;
            }
            Request request;
            try {
                request = JsonLines.parse(line, Request.class);
            } catch (IOException e) {
                answer(connection, new Reply.Failed("malformed request: " + firstLine(e.getMessage())));
                return;
            }
            events.accept(new Event.RequestReceived(request, reply -> answer(connection, reply)));
        } catch (JsonLines.Timeout e) {
            answer(connection, new Reply.Failed("request timed out: " + e.getMessage()));
        } catch (IOException e) {
            answer(connection, new Reply.Failed("unreadable request: " + e.getMessage()));
        }
    }

    /** Over the cap: say so and let the CLI try again, rather than leave it waiting. */
    static void refuse(SocketChannel connection) {
        answer(connection, new Reply.Busy("the jpm daemon is reading " + MAX_READERS + " requests already"));
    }

    private static void answer(SocketChannel connection, Reply reply) {
        try (connection) {
            OutputStream out = Channels.newOutputStream(connection);
            JsonLines.write(out, reply);
        } catch (IOException e) {
            // The CLI went away (Ctrl-C, killed); the work is done anyway.
        }
    }

    private static String firstLine(String message) {
        return message == null ? "?" : message.lines().findFirst().orElse("?");
    }
}
