package dev.clusterservers.plumbing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.channels.Channel;

/**
 * Starts a child process whose fd 0 is a socket of ours: the only way to let a child JVM
 * inherit a listening socket.
 *
 * <p>{@link ProcessBuilder} passes a child only fds 0, 1 and 2, and only files or pipes
 * through its redirects. So, just while the child starts, this class puts the socket on
 * our own fd 0 ({@code dup2}, from native code through JNA, since JDK 17 has no public way
 * to call it), starts the child with stdin inherited, and puts our real stdin back. The
 * child then finds the socket with the public {@link System#inheritedChannel()}: the
 * convention of inetd and systemd socket activation.
 */
public final class StdinSwap {
    private static final int STDIN = 0;

    /** The three calls we need from the C library. */
    private interface CLibrary extends Library {
        int dup(int fd);

        int dup2(int oldFd, int newFd);

        int close(int fd);
    }

    private static final CLibrary LIBC = Native.load("c", CLibrary.class);

    private StdinSwap() {
    }

    /** Something that starts a process, such as {@code processBuilder::start}. */
    @FunctionalInterface
    public interface Starter {
        Process start() throws IOException;
    }

    /**
     * Runs {@code starter} with {@code socket} on fd 0. Synchronized: while fd 0 is the
     * socket, no other thread of ours may start a process or read stdin.
     */
    public static synchronized Process startWithStdin(Channel socket, Starter starter) throws IOException {
        int fd = JdkChannels.fdNumber(socket);
        int savedStdin = check(LIBC.dup(STDIN), "dup(0)");
        try {
            check(LIBC.dup2(fd, STDIN), "dup2(socket, 0)");
            return starter.start();
        } finally {
            check(LIBC.dup2(savedStdin, STDIN), "dup2(saved stdin, 0)");
            LIBC.close(savedStdin);
        }
    }

    private static int check(int result, String call) throws IOException {
        if (result < 0) {
            throw new IOException(call + " failed, errno " + Native.getLastError());
        }
        return result;
    }
}
