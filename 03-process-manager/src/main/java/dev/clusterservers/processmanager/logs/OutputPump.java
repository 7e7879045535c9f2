package dev.clusterservers.processmanager.logs;

import java.io.IOException;
import java.io.InputStream;

/**
 * Copies one of an instance's streams (stdout or stderr) into its log file, a line at a time,
 * in bounded pieces: a line longer than {@link #MAX_LINE_BYTES} is written as several lines of
 * at most that many bytes, each stamped, and nothing is dropped. Reading never waits for the
 * log: a pipe the daemon stops draining fills up (64 KiB on Linux) and then blocks the app's
 * next write, so one thread per stream does nothing but read and write, with a fixed buffer.
 */
public final class OutputPump {
    /** The longest line written as one; longer ones are cut here (never inside a UTF-8 character). */
    static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int READ_BYTES = 8 * 1024;

    private OutputPump() {
    }

    /** One thread per stream: it ends by itself at end of stream, when the process exits. */
    public static void start(InputStream stream, LogFile file, String name) {
        Thread thread = new Thread(() -> {
            try (stream) {
                copy(stream, file);
            } catch (IOException e) {
                // The process is gone; so is the rest of its output.
            }
        }, "log " + name);
        thread.setDaemon(true);
        thread.start();
    }

    static void copy(InputStream in, LogFile file) throws IOException {
        byte[] line = new byte[MAX_LINE_BYTES];
        byte[] read = new byte[READ_BYTES];
        int length = 0;
        int n;
        while ((n = in.read(read)) >= 0) {
            for (int i = 0; i < n; i++) {
                byte b = read[i];
                if (b == '\n') {
                    file.appendLine(line, 0, length > 0 && line[length - 1] == '\r' ? length - 1 : length);
                    length = 0;
                    continue;
                }
                line[length++] = b;
                if (length == MAX_LINE_BYTES) {
                    int cut = characterBoundary(line, length);
                    file.appendLine(line, 0, cut);
                    System.arraycopy(line, cut, line, 0, length - cut);
                    length -= cut;
                }
            }
        }
        if (length > 0) {
            file.appendLine(line, 0, length);
        }
    }

    /**
     * Where to cut a full buffer so that no UTF-8 character is split: before the lead byte of a
     * character whose continuation bytes ({@code 10xxxxxx}) run to the end. Bytes that are not
     * UTF-8 at all are cut at the end.
     */
    static int characterBoundary(byte[] bytes, int length) {
        for (int cut = length - 1; cut >= Math.max(0, length - 4); cut--) {
            if ((bytes[cut] & 0xC0) != 0x80) {
                int needed = (bytes[cut] & 0xE0) == 0xC0 ? 2 : (bytes[cut] & 0xF0) == 0xE0 ? 3
                        : (bytes[cut] & 0xF8) == 0xF0 ? 4 : 1;
                return cut + needed > length && cut > 0 ? cut : length;
            }
        }
        return length;
    }
}
