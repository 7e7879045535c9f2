package dev.clusterservers.shareports.sharing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * One message on the round-robin control socket between the master and a worker.
 *
 * <p>Every frame is {@value #SIZE} bytes, so a reader always knows where the next one
 * starts, and a connection's descriptor, sent as {@code SCM_RIGHTS} ancillary data, rides
 * on exactly one frame (Linux never merges two descriptor-carrying writes into one read).
 *
 * <pre>
 * byte 0      type: 'C' connection (a descriptor is attached), 'Q' worker quits,
 *             'E' master acknowledges the quit (no more connections follow), 'H' hello
 * byte 1      socket family of the connection: 4 or 6
 * byte 2      length of the remote address: 4 or 16 (0 for other types)
 * bytes 3-18  remote address, left-aligned
 * bytes 19-20 remote port, big-endian
 * bytes 21-23 unused, zero; bytes 20-23 of 'H' carry the worker id, big-endian
 * </pre>
 */
public record HandoffFrame(Type type, ProtocolFamily family, InetSocketAddress remote, int workerId) {
    public static final int SIZE = 24;

    public enum Type {
        CONNECTION('C'), QUIT('Q'), END('E'), HELLO('H');

        final byte code;

        Type(char code) {
            this.code = (byte) code;
        }

        static Type of(byte code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown hand-off frame type 0x" + Integer.toHexString(code & 0xff));
        }
    }

    public static HandoffFrame connection(ProtocolFamily family, InetSocketAddress remote) {
        return new HandoffFrame(Type.CONNECTION, family, remote, 0);
    }

    public static HandoffFrame hello(int workerId) {
        return new HandoffFrame(Type.HELLO, null, null, workerId);
    }

    public static HandoffFrame quit() {
        return new HandoffFrame(Type.QUIT, null, null, 0);
    }

    public static HandoffFrame end() {
        return new HandoffFrame(Type.END, null, null, 0);
    }

    public byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(SIZE);
        buf.put(type.code);
        if (type == Type.CONNECTION) {
            byte[] address = remote.getAddress().getAddress();
            buf.put((byte) (family == StandardProtocolFamily.INET6 ? 6 : 4));
            buf.put((byte) address.length);
            buf.put(address);
            buf.position(19);
            buf.putShort((short) remote.getPort());
        } else if (type == Type.HELLO) {
            buf.position(20);
            buf.putInt(workerId);
        }
        return buf.array();
    }

    public static HandoffFrame decode(byte[] bytes) {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("hand-off frame must be " + SIZE + " bytes, got " + bytes.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        Type type = Type.of(buf.get());
        return switch (type) {
            case CONNECTION -> {
                ProtocolFamily family = switch (buf.get()) {
                    case 4 -> StandardProtocolFamily.INET;
                    case 6 -> StandardProtocolFamily.INET6;
                    default -> throw new IllegalArgumentException("hand-off frame has an unknown socket family");
                };
                int length = buf.get();
                if (length != 4 && length != 16) {
                    throw new IllegalArgumentException("hand-off frame has an address of " + length + " bytes");
                }
                byte[] address = new byte[length];
                buf.get(address);
                int port = Short.toUnsignedInt(buf.getShort(19));
                try {
                    yield connection(family, new InetSocketAddress(InetAddress.getByAddress(address), port));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("hand-off frame has a bad address", e);
                }
            }
            case HELLO -> hello(buf.getInt(20));
            case QUIT -> quit();
            case END -> end();
        };
    }
}
