package dev.clusterservers.forkserver.ipc;

import dev.clusterservers.forkserver.ipc.Message.Header;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link Message} travels over a pipe. A pipe is a stream of bytes with no message
 * boundaries: one {@code read()} may return half a frame or three frames. So every frame
 * starts with a fixed 16-byte header that says how many payload bytes follow, and a reader
 * reads exactly that many. All numbers are big-endian (network order, Java's default).
 *
 * <pre>
 * header   0  2  magic 'F' 'S'           a reader that sees anything else is reading garbage
 *          2  1  version, 1
 *          3  1  kind: 'H' hello, 'Y' ready, 'Q' request, 'A' response
 *          4  8  correlation id (int64)
 *         12  4  payload length L (uint32), at most {@value #MAX_PAYLOAD}
 * payload 16  L  the fields of the kind, in record order:
 *                hello     string text
 *                ready     int64 pid
 *                request   string method, string path, string query, headers, bytes body
 *                response  uint16 status, headers, bytes body
 * string   uint16 n, then n bytes of UTF-8
 * headers  uint16 count (at most {@value #MAX_HEADERS}), then count pairs of string name, string value
 * bytes    uint32 n, then n bytes
 * </pre>
 * The payload must be used up exactly; bytes left over are an error like any other.
 */
public final class Frames {
    public static final int HEADER_SIZE = 16;
    static final byte MAGIC_0 = 'F';
    static final byte MAGIC_1 = 'S';
    static final byte VERSION = 1;
    /** Larger than any body the master accepts, small enough that one bad length cannot exhaust the heap. */
    public static final int MAX_PAYLOAD = 8 * 1024 * 1024;
    public static final int MAX_HEADERS = 256;
    private static final int MAX_STRING = 0xFFFF;

    private Frames() {
    }

    /**
     * The whole frame, header and payload, ready for one {@code write}.
     *
     * @throws Unencodable if the message is over one of the format's limits; nothing was sent
     */
    public static byte[] encode(Message message) {
        Payload payload = new Payload();
        // A switch expression over the kind: a new kind that is not handled here does not compile.
        Payload filled = switch (message.kind()) {
            case HELLO -> payload.string(((Message.Hello) message).text());
            case READY -> payload.int64(((Message.Ready) message).pid());
            case REQUEST -> {
                Message.Request r = (Message.Request) message;
                yield payload.string(r.method()).string(r.path()).string(r.query()).headers(r.headers()).bytes(r.body());
            }
            case RESPONSE -> {
                Message.Response r = (Message.Response) message;
                yield payload.uint16(r.status()).headers(r.headers()).bytes(r.body());
            }
        };
        byte[] body = filled.toByteArray();
        if (body.length > MAX_PAYLOAD) {
            throw new Unencodable(Unencodable.Limit.FRAME, message.kind() + " of " + body.length
                    + " bytes is over the frame limit of " + MAX_PAYLOAD);
        }
        return ByteBuffer.allocate(HEADER_SIZE + body.length)
                .put(MAGIC_0).put(MAGIC_1).put(VERSION).put(message.kind().code)
                .putLong(message.id()).putInt(body.length).put(body)
                .array();
    }

    /**
     * Reads one frame, blocking until all of it has arrived however the pipe splits it.
     *
     * @return the message, or empty if the stream ended cleanly between two frames
     * @throws EOFException if the stream ended in the middle of a frame
     * @throws ProtocolException if the bytes are not a frame
     */
    public static Optional<Message> read(InputStream in) throws IOException {
        DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        int first = data.read();
        if (first < 0) {
            return Optional.empty();
        }
        byte[] header = new byte[HEADER_SIZE];
        header[0] = (byte) first;
        data.readFully(header, 1, HEADER_SIZE - 1);
        ByteBuffer h = ByteBuffer.wrap(header);
        if (h.get() != MAGIC_0 || h.get() != MAGIC_1) {
            throw new ProtocolException(String.format("garbage on the pipe: frame starts with 0x%02x%02x, not 'FS'",
                    header[0], header[1]));
        }
        byte version = h.get();
        if (version != VERSION) {
            throw new ProtocolException("frame version " + version + ", expected " + VERSION);
        }
        Message.Kind kind = kindOf(h.get());
        long id = h.getLong();
        long length = Integer.toUnsignedLong(h.getInt());
        if (length > MAX_PAYLOAD) {
            throw new ProtocolException("oversized frame: " + kind + " of " + length
                    + " bytes, the limit is " + MAX_PAYLOAD);
        }
        byte[] payload = new byte[(int) length];
        data.readFully(payload);
        return Optional.of(decode(kind, id, ByteBuffer.wrap(payload)));
    }

    private static Message decode(Message.Kind kind, long id, ByteBuffer p) throws ProtocolException {
        Message message;
        try {
            message = switch (kind) {
                case HELLO -> new Message.Hello(id, string(p));
                case READY -> new Message.Ready(id, p.getLong());
                case REQUEST -> new Message.Request(id, string(p), string(p), string(p), headers(p), bytes(p));
                case RESPONSE -> new Message.Response(id, Short.toUnsignedInt(p.getShort()), headers(p), bytes(p));
            };
        } catch (BufferUnderflowException e) {
            throw new ProtocolException(kind + " frame " + id + ": fields run past its payload of " + p.limit() + " bytes");
        }
        if (p.hasRemaining()) {
            throw new ProtocolException(kind + " frame " + id + ": " + p.remaining() + " bytes left over after its fields");
        }
        return message;
    }

    private static Message.Kind kindOf(byte code) throws ProtocolException {
        for (Message.Kind kind : Message.Kind.values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new ProtocolException(String.format("unknown frame kind 0x%02x", code));
    }

    private static String string(ByteBuffer p) {
        byte[] utf8 = new byte[Short.toUnsignedInt(p.getShort())];
        p.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static List<Header> headers(ByteBuffer p) throws ProtocolException {
        int count = Short.toUnsignedInt(p.getShort());
        if (count > MAX_HEADERS) {
            throw new ProtocolException(count + " headers, the limit is " + MAX_HEADERS);
        }
        List<Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            headers.add(new Header(string(p), string(p)));
        }
        return List.copyOf(headers);
    }

    private static byte[] bytes(ByteBuffer p) throws ProtocolException {
        long length = Integer.toUnsignedLong(p.getInt());
        if (length > p.remaining()) {
            throw new ProtocolException("a field of " + length + " bytes in a payload with " + p.remaining() + " left");
        }
        byte[] bytes = new byte[(int) length];
        p.get(bytes);
        return bytes;
    }

    /** Builds a payload field by field, in the order the table above gives. */
    private static final class Payload {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);

        Payload uint16(int value) {
            out.write(value >>> 8);
            out.write(value);
            return this;
        }

        Payload int32(int value) {
            return uint16(value >>> 16).uint16(value & 0xFFFF);
        }

        Payload int64(long value) {
            return int32((int) (value >>> 32)).int32((int) value);
        }

        Payload string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > MAX_STRING) {
                throw new Unencodable(Unencodable.Limit.STRING,
                        "a string of " + utf8.length + " bytes does not fit a frame field");
            }
            uint16(utf8.length);
            out.writeBytes(utf8);
            return this;
        }

        Payload headers(List<Header> headers) {
            if (headers.size() > MAX_HEADERS) {
                throw new Unencodable(Unencodable.Limit.HEADERS, headers.size() + " headers, the limit is " + MAX_HEADERS);
            }
            uint16(headers.size());
            headers.forEach(h -> string(h.name()).string(h.value()));
            return this;
        }

        Payload bytes(byte[] value) {
            int32(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
