package dev.clusterservers.plumbing;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The one place this module reaches into the JDK's internals, and why.
 *
 * <p>Sharing a port between processes means moving socket file descriptors between them.
 * The JDK has no public API to ask a channel for its descriptor, nor to wrap a descriptor
 * that arrived from another process in a {@link SocketChannel} (the only public door,
 * {@link System#inheritedChannel()}, looks at fd 0 alone, and has a catch: see
 * {@link #adoptListeningSocket}). The classes that can do both
 * live in {@code sun.nio.ch}, with the same signatures on JDK 17 and 25. Every JVM that
 * uses this class needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}; without it
 * the first call fails with a message that says so.
 */
public final class JdkChannels {
    /** The flag every JVM that calls this class must be started with. */
    public static final String REQUIRED_JVM_FLAG = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    private static final MethodHandle GET_FD;
    private static final MethodHandle GET_FD_VAL;
    private static final Constructor<?> SOCKET_CHANNEL_IMPL;
    private static final Constructor<?> SERVER_SOCKET_CHANNEL_IMPL;
    private static final IllegalStateException UNAVAILABLE;

    static {
        MethodHandle getFd = null;
        MethodHandle getFdVal = null;
        Constructor<?> socketChannel = null;
        Constructor<?> serverSocketChannel = null;
        IllegalStateException unavailable = null;
        try {
            Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(selChImpl, MethodHandles.lookup());
            getFd = lookup.findVirtual(selChImpl, "getFD", MethodType.methodType(FileDescriptor.class));
            getFdVal = lookup.findVirtual(selChImpl, "getFDVal", MethodType.methodType(int.class));
            socketChannel = Class.forName("sun.nio.ch.SocketChannelImpl").getDeclaredConstructor(
                    SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, SocketAddress.class);
            socketChannel.setAccessible(true);
            serverSocketChannel = Class.forName("sun.nio.ch.ServerSocketChannelImpl").getDeclaredConstructor(
                    SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, boolean.class);
            serverSocketChannel.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = new IllegalStateException(
                    "cannot reach the JDK's socket channel internals; start the JVM with " + REQUIRED_JVM_FLAG, e);
        }
        GET_FD = getFd;
        GET_FD_VAL = getFdVal;
        SOCKET_CHANNEL_IMPL = socketChannel;
        SERVER_SOCKET_CHANNEL_IMPL = serverSocketChannel;
        UNAVAILABLE = unavailable;
    }

    private JdkChannels() {
    }

    /** The descriptor behind a JDK socket channel, to send to another process. */
    public static FileDescriptor fileDescriptor(Channel channel) {
        check();
        try {
            return (FileDescriptor) GET_FD.invoke(channel);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read the descriptor of " + channel, e);
        }
    }

    /** The descriptor's number, for native calls such as {@code dup2}. */
    public static int fdNumber(Channel channel) {
        check();
        try {
            return (int) GET_FD_VAL.invoke(channel);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read the descriptor of " + channel, e);
        }
    }

    /**
     * Wraps a connected TCP socket's descriptor, received from another process, in an
     * ordinary JDK {@link SocketChannel} that Jetty's selectors can use.
     */
    public static SocketChannel adoptConnectedSocket(FileDescriptor fd, ProtocolFamily family, SocketAddress remote) {
        check();
        try {
            return (SocketChannel) SOCKET_CHANNEL_IMPL.newInstance(SelectorProvider.provider(), family, fd, remote);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot adopt a socket descriptor as a SocketChannel", e);
        }
    }

    /**
     * Wraps a bound, listening socket's descriptor in an ordinary JDK
     * {@link ServerSocketChannel}. A worker of the shared strategy uses it for fd 0 instead
     * of keeping what {@link System#inheritedChannel()} returns: closing that inetd-style
     * channel also points fds 0, 1 and 2 at /dev/null, and the worker's last log lines
     * would vanish.
     */
    public static ServerSocketChannel adoptListeningSocket(FileDescriptor fd, ProtocolFamily family) {
        check();
        try {
            return (ServerSocketChannel) SERVER_SOCKET_CHANNEL_IMPL.newInstance(SelectorProvider.provider(), family, fd, true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot adopt a listening socket descriptor as a ServerSocketChannel", e);
        }
    }

    private static void check() {
        if (UNAVAILABLE != null) {
            throw UNAVAILABLE;
        }
    }
}
