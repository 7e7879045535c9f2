package dev.clusterservers.processmanager.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The framing of both links: one JSON object per line, UTF-8. A line longer than
 * {@link #MAX_LINE_BYTES} is refused, so a stray client cannot make the daemon buffer
 * without end; a message that would be longer is refused before it is sent
 * ({@link TooLarge}), with the limit and the value that made it so large.
 */
public final class JsonLines {
    public static final int MAX_LINE_BYTES = 1 << 20;
    public static final ObjectMapper JSON = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonLines() {
    }

    /** A message that does not fit in one line of the wire. */
    public static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    /** A peer that sent nothing, or no whole line, in time. */
    public static final class Timeout extends IOException {
        Timeout(String message) {
            super(message);
        }
    }

    public static void write(OutputStream out, Object message) throws IOException {
        out.write(encode(message));
        out.flush();
    }

    /** The message as one line, newline included; {@link TooLarge} if it is over {@link #MAX_LINE_BYTES}. */
    public static byte[] encode(Object message) throws IOException {
        byte[] json = JSON.writeValueAsBytes(message);
        if (json.length + 1 > MAX_LINE_BYTES) {
            Map.Entry<String, Integer> largest = largestValue(JSON.valueToTree(message), "", json.length);
            throw new TooLarge("the message is " + size(json.length + 1) + ", over the control socket's limit of "
                    + size(MAX_LINE_BYTES) + " (" + MAX_LINE_BYTES + " bytes); most of it is " + largest.getKey()
                    + " (" + size(largest.getValue()) + ")");
        }
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    /**
     * The key that holds most of a message: from the top, step into the largest member while it
     * holds more than half of its parent; keys are written as in the ecosystem file
     * ({@code apps[0].jvm_args[0]}).
     */
    static Map.Entry<String, Integer> largestValue(JsonNode node, String path, int bytes) throws IOException {
        String largestPath = null;
        JsonNode largest = null;
        int largestBytes = 0;
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                int size = JSON.writeValueAsBytes(field.getValue()).length;
                if (size > largestBytes) {
                    largestPath = (path.isEmpty() ? "" : path + ".") + snakeCase(field.getKey());
                    largest = field.getValue();
                    largestBytes = size;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                int size = JSON.writeValueAsBytes(node.get(i)).length;
                if (size > largestBytes) {
                    largestPath = path + "[" + i + "]";
                    largest = node.get(i);
                    largestBytes = size;
                }
            }
        }
        if (largest == null || largestBytes * 2 < bytes) {
            return Map.entry(path.isEmpty() ? "the whole message" : path, bytes);
        }
        return largestValue(largest, largestPath, largestBytes);
    }

    private static String snakeCase(String key) {
        return key.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20))
                : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    /**
     * The next line from a socket, with deadlines: {@code firstByte} for anything to arrive,
     * {@code wholeLine} (from the start) for the newline. Null if the peer closed without
     * sending anything. Bytes after the newline are not read: each side of the control
     * socket sends one line per connection.
     */
    public static String readLine(SocketChannel channel, Duration firstByte, Duration wholeLine) throws IOException {
        boolean blocking = channel.isBlocking();
        long start = System.nanoTime();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8 * 1024);
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                Duration limit = line.size() == 0 ? firstByte : wholeLine;
                long leftMs = (start + limit.toNanos() - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    throw new Timeout(line.size() == 0 ? "nothing arrived within " + limit.toMillis() + " ms"
                            : "no whole line within " + limit.toMillis() + " ms (" + line.size() + " bytes so far)");
                }
                selector.select(leftMs);
                selector.selectedKeys().clear();
                buffer.clear();
                int read = channel.read(buffer);
                if (read < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
                for (int i = 0; i < read; i++) {
                    byte b = buffer.get(i);
                    if (b == '\n') {
                        return line.toString(StandardCharsets.UTF_8);
                    }
                    if (line.size() >= MAX_LINE_BYTES) {
                        throw new IOException("line longer than the limit of " + MAX_LINE_BYTES + " bytes");
                    }
                    line.write(b);
                }
            }
        } finally {
            // Closing the selector deregistered the channel, so it may block again.
            if (channel.isOpen()) {
                channel.configureBlocking(blocking);
            }
        }
    }

    /** The next line without its newline, or null at end of stream. */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new IOException("line longer than the limit of " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    public static <T> T parse(String line, Class<T> type) throws IOException {
        return JSON.readValue(line, type);
    }
}
