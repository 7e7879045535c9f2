package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import dev.clusterservers.processmanager.protocol.Wire;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * The CLI's door: one request line in, one reply line out, per connection. A malformed line
 * gets a {@link Reply.Failed} and changes nothing; a CLI that goes away before its reply only
 * makes the reply's write fail, and the request still completes.
 */
final class ControlServer {
    private ControlServer() {
    }

    static void serve(SocketChannel connection, Consumer<Event> events) {
        try {
            InputStream in = new BufferedInputStream(Channels.newInputStream(connection));
            String line = Wire.readLine(in);
            if (line == null) {
                connection.close();
                return;
            }
            Request request;
            try {
                request = Wire.parse(line, Request.class);
            } catch (IOException e) {
                answer(connection, new Reply.Failed("malformed request: " + firstLine(e.getMessage())));
                return;
            }
            events.accept(new Event.RequestReceived(request, reply -> answer(connection, reply)));
        } catch (IOException e) {
            answer(connection, new Reply.Failed("unreadable request: " + e.getMessage()));
        }
    }

    private static void answer(SocketChannel connection, Reply reply) {
        try (connection) {
            OutputStream out = Channels.newOutputStream(connection);
            Wire.write(out, reply);
        } catch (IOException e) {
            // The CLI went away (Ctrl-C, killed); the work is done anyway.
        }
    }

    private static String firstLine(String message) {
        return message == null ? "?" : message.lines().findFirst().orElse("?");
    }
}
