package dev.clusterservers.processmanager.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One instance's stdout or stderr on disk: each line stamped with the time the daemon read
 * it, and the file rotated by size ({@code api-0-out.log} becomes {@code api-0-out.log.1},
 * and so on up to {@link #KEEP} old files), so a chatty app cannot fill the disk. The file
 * exists from the moment the instance does, empty until the app writes, as PM2's do.
 *
 * <p>Rotation renames the full file and opens a new one under the same name, so a reader
 * that follows the name ({@code jpm logs}, {@code tail -F}) finds the new file and a reader
 * that holds the old one open can still read it to its end.
 */
public final class LogFile implements AutoCloseable {
    /** A file grows to this before it is rotated. */
    public static final long MAX_BYTES = 10L << 20;
    /** Old files kept besides the current one. */
    public static final int KEEP = 3;
    public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final Path path;
    private final long maxBytes;
    private OutputStream out;
    private long size;

    /** Creates the file if it is not there yet. */
    public LogFile(Path path, long maxBytes) {
        this.path = path;
        this.maxBytes = maxBytes;
        try {
            open();
        } catch (IOException e) {
            System.err.println("cannot open " + path + ": " + e);
        }
    }

    public Path path() {
        return path;
    }

    /** Appends one line, stamped; rotates first if the file is full. */
    public void append(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        appendLine(bytes, 0, bytes.length);
    }

    /** Appends {@code length} bytes of UTF-8 text as one stamped line; they must hold no newline. */
    public synchronized void appendLine(byte[] text, int offset, int length) {
        byte[] stamp = (LocalDateTime.now().format(STAMP) + " ").getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[stamp.length + length + 1];
        System.arraycopy(stamp, 0, line, 0, stamp.length);
        System.arraycopy(text, offset, line, stamp.length, length);
        line[line.length - 1] = '\n';
        write(line, 0, line.length);
    }

    /** Appends bytes as they are, unstamped (the daemon's own log, whose lines carry their time). */
    public synchronized void appendRaw(byte[] bytes, int offset, int length) {
        write(bytes, offset, length);
    }

    private void write(byte[] bytes, int offset, int length) {
        try {
            if (out == null) {
                open();
            }
            if (size + length > maxBytes && size > 0) {
                rotate();
            }
            out.write(bytes, offset, length);
            out.flush();
            size += length;
        } catch (IOException e) {
            System.err.println("cannot write " + path + ": " + e);
        }
    }

    private void open() throws IOException {
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(path);
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        for (int i = KEEP - 1; i >= 1; i--) {
            Path older = Path.of(path + "." + i);
            if (Files.exists(older)) {
                Files.move(older, Path.of(path + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, Path.of(path + ".1"), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // Nothing left to lose.
            }
            out = null;
        }
    }
}
