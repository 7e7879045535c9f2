package dev.clusterservers.processmanager.logs;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The daemon's own log, {@code daemon.log}, rotated as the apps' logs are ({@link LogFile}:
 * at 10 MiB, three old files kept), so a daemon that runs for months cannot fill the disk.
 *
 * <p>The CLI starts the daemon with its stdout and stderr appended to {@code daemon.log}; that
 * file descriptor cannot be moved to a new file from Java. So once the daemon runs, it points
 * {@code System.out} and {@code System.err} (where its logger and any stack trace write) at a
 * rotating file instead. Only what the JVM writes itself, outside Java (a fatal error's
 * summary), still goes to the file that was {@code daemon.log} when the daemon started.
 */
public final class DaemonLog extends OutputStream {
    /** A line longer than this is written without waiting for its end. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    private final LogFile file;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean writing;

    DaemonLog(Path path, long maxBytes) {
        this.file = new LogFile(path, maxBytes);
    }

    /** From now on the daemon's output goes to {@code path}, rotated at {@link LogFile#MAX_BYTES}. */
    public static void install(Path path) {
        PrintStream rotating = new PrintStream(new DaemonLog(path, LogFile.MAX_BYTES), true, StandardCharsets.UTF_8);
        System.setOut(rotating);
        System.setErr(rotating);
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Whole lines only, so a rotation never cuts one in two. */
    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (writing) {
            // The log file itself failed and said so on System.err, which is us: drop that.
            return;
        }
        writing = true;
        try {
            for (int i = offset; i < offset + length; i++) {
                line.write(bytes[i]);
                if (bytes[i] == '\n' || line.size() >= MAX_LINE_BYTES) {
                    file.appendRaw(line.toByteArray(), 0, line.size());
                    line.reset();
                }
            }
        } finally {
            writing = false;
        }
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            file.appendRaw(line.toByteArray(), 0, line.size());
            line.reset();
        }
        file.close();
    }
}
