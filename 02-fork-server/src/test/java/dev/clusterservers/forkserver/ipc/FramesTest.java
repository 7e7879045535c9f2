package dev.clusterservers.forkserver.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clusterservers.forkserver.ipc.Message.Header;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FramesTest {
    static final Message.Request REQUEST = new Message.Request(42, "POST", "/echo", "n=1&x=%C3%A9",
            List.of(new Header("Host", "localhost"), new Header("Accept", "a"), new Header("Accept", "b")),
            "body with ünïcode".getBytes(StandardCharsets.UTF_8));
    static final Message.Response RESPONSE = new Message.Response(Long.MAX_VALUE, 201,
            List.of(new Header("X-Worker-Pid", "7")), new byte[] {0, 1, 2, (byte) 255});

    @Test
    void everyKindOfMessageReadsBackAsItWasWritten() throws Exception {
        for (Message message : List.of(new Message.Hello(0, "hello"), new Message.Ready(0, 12345), REQUEST, RESPONSE,
                new Message.Request(1, "GET", "/", "", List.of(), new byte[0]))) {
            Optional<Message> read = Frames.read(new ByteArrayInputStream(Frames.encode(message)));
            assertThat(read).get().usingRecursiveComparison().isEqualTo(message);
        }
    }

    @Test
    void aFrameSplitIntoOneByteReadsIsStillOneMessage() throws Exception {
        byte[] twoFrames = concat(Frames.encode(REQUEST), Frames.encode(RESPONSE));
        InputStream trickle = new OneByteAtATime(twoFrames);

        assertThat(Frames.read(trickle)).get().usingRecursiveComparison().isEqualTo(REQUEST);
        assertThat(Frames.read(trickle)).get().usingRecursiveComparison().isEqualTo(RESPONSE);
        assertThat(Frames.read(trickle)).isEmpty();
    }

    @Test
    void theHeaderIs16BytesBigEndianAsTheReadmeSays() {
        byte[] frame = Frames.encode(new Message.Ready(0x0102030405060708L, 9));
        ByteBuffer b = ByteBuffer.wrap(frame);

        assertThat(frame).hasSize(Frames.HEADER_SIZE + 8);
        assertThat(new String(frame, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("FS");
        assertThat(frame[2]).isEqualTo((byte) 1);
        assertThat(frame[3]).isEqualTo((byte) 'Y');
        assertThat(b.getLong(4)).isEqualTo(0x0102030405060708L);
        assertThat(b.getInt(12)).isEqualTo(8);
        assertThat(b.getLong(16)).isEqualTo(9);
    }

    @Test
    void aStreamThatEndsBetweenFramesIsACleanEnd() throws Exception {
        assertThat(Frames.read(new ByteArrayInputStream(new byte[0]))).isEmpty();
    }

    @Test
    void aStreamThatEndsInsideAFrameIsAnError() {
        byte[] frame = Frames.encode(REQUEST);
        byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 3);

        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(cut))).isInstanceOf(EOFException.class);
    }

    @Test
    void textOnThePipeIsRejectedAsGarbage() {
        byte[] println = "Hello from a library that prints\n".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(println)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("garbage");
    }

    @Test
    void anOversizedFrameIsRejectedFromItsHeaderWithoutReadingThePayload() {
        byte[] header = ByteBuffer.allocate(Frames.HEADER_SIZE).put((byte) 'F').put((byte) 'S').put((byte) 1)
                .put((byte) 'A').putLong(1).putInt(Frames.MAX_PAYLOAD + 1).array();

        // Only the header is there: a reader that tried to read the payload would hit EOF instead.
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(header)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("oversized");
    }

    @Test
    void anUnknownKindAWrongVersionAndFieldsThatDoNotFillThePayloadAreRejected() {
        byte[] frame = Frames.encode(RESPONSE);
        byte[] unknownKind = frame.clone();
        unknownKind[3] = 'Z';
        byte[] wrongVersion = frame.clone();
        wrongVersion[2] = 9;
        byte[] leftOver = concat(frame, new byte[] {0});
        ByteBuffer.wrap(leftOver).putInt(12, ByteBuffer.wrap(frame).getInt(12) + 1);

        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(unknownKind))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown frame kind");
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(wrongVersion))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("version");
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(leftOver))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("left over");
    }

    @Test
    void aBodyLengthThatRunsPastThePayloadIsRejected() {
        byte[] frame = Frames.encode(RESPONSE);
        // The body length is the last 4 bytes before the 4 body bytes.
        ByteBuffer.wrap(frame).putInt(frame.length - 8, 1_000);

        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(frame))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void aMessageTooLargeForOneFrameIsRefusedWhenWritten() {
        Message.Response huge = new Message.Response(1, 200, List.of(), new byte[Frames.MAX_PAYLOAD]);

        assertThatThrownBy(() -> Frames.encode(huge)).isInstanceOf(Unencodable.class)
                .hasMessageContaining("over the frame limit")
                .extracting(e -> ((Unencodable) e).limit()).isEqualTo(Unencodable.Limit.FRAME);
    }

    @Test
    void moreHeadersThanTheFormatCountsAreRefusedWhenWrittenAndSayWhichLimit() {
        List<Message.Header> headers = java.util.stream.IntStream.rangeClosed(0, Frames.MAX_HEADERS)
                .mapToObj(i -> new Message.Header("X-" + i, "1")).toList();
        Message.Request request = new Message.Request(1, "GET", "/", "", headers, new byte[0]);

        assertThatThrownBy(() -> Frames.encode(request)).isInstanceOf(Unencodable.class)
                .hasMessage("257 headers, the limit is 256")
                .extracting(e -> ((Unencodable) e).limit()).isEqualTo(Unencodable.Limit.HEADERS);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** A pipe at its least helpful: every read returns a single byte. */
    private static final class OneByteAtATime extends InputStream {
        private final ByteArrayInputStream bytes;

        OneByteAtATime(byte[] bytes) {
            this.bytes = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return len == 0 ? 0 : bytes.read(b, off, 1);
        }
    }
}
