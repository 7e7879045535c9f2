package dev.clusterservers.processmanager.daemon;

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
 * and so on up to {@link #KEEP} old files), so a chatty app cannot fill the disk.
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

    public LogFile(Path path, long maxBytes) {
        this.path = path;
        this.maxBytes = maxBytes;
    }

    public Path path() {
        return path;
    }

    /** Appends one line, stamped; rotates first if the file is full. */
    public synchronized void append(String line) {
        byte[] bytes = (LocalDateTime.now().format(STAMP) + " " + line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                open();
            }
            if (size + bytes.length > maxBytes && size > 0) {
                rotate();
            }
            out.write(bytes);
            out.flush();
            size += bytes.length;
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
