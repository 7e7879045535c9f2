package dev.clusterservers.processmanager.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The framing of both links: one JSON object per line, UTF-8. A line longer than
 * {@link #MAX_LINE_BYTES} is refused, so a stray client cannot make the daemon buffer
 * without end.
 */
public final class Wire {
    public static final int MAX_LINE_BYTES = 1 << 20;
    public static final ObjectMapper JSON = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Wire() {
    }

    public static void write(OutputStream out, Object message) throws IOException {
        out.write(JSON.writeValueAsBytes(message));
        out.write('\n');
        out.flush();
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
                throw new IOException("line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    public static <T> T parse(String line, Class<T> type) throws IOException {
        return JSON.readValue(line, type);
    }
}
