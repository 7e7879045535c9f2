package dev.clusterservers.forkserver.ipc;

import java.util.List;

/**
 * Everything the master and a child say to each other. Each message is a record, so it is
 * plain data: the wire format ({@link Frames}) is the only code that knows its bytes.
 *
 * <p>Every message carries a correlation {@code id}. A request and its response share one,
 * which is what lets the master keep many requests in flight to one child and still hand
 * each reply to the client that asked: replies may come back in any order.
 */
public sealed interface Message {
    /** The id of a message that answers nothing, such as {@link Hello} and {@link Ready}. */
    long NO_ID = 0;

    long id();

    /** Which record this is, as one byte on the wire. A {@code switch} over it is exhaustive. */
    Kind kind();

    enum Kind {
        /** master to child: the tutorial's first message, which the child logs. */
        HELLO('H'),
        /** child to master: "I am up, send me work". */
        READY('Y'),
        /** master to child: one HTTP request. */
        REQUEST('Q'),
        /** child to master: the answer to the request with the same id. */
        RESPONSE('A');

        public final byte code;

        Kind(char code) {
            this.code = (byte) code;
        }
    }

    /** One HTTP header line; a name may repeat, as in HTTP. */
    record Header(String name, String value) {
    }

    record Hello(long id, String text) implements Message {
        public Kind kind() {
            return Kind.HELLO;
        }
    }

    record Ready(long id, long pid) implements Message {
        public Kind kind() {
            return Kind.READY;
        }
    }

    /** An HTTP request as the master received it. {@code query} is the raw query string, or "". */
    record Request(long id, String method, String path, String query, List<Header> headers, byte[] body)
            implements Message {
        public Kind kind() {
            return Kind.REQUEST;
        }
    }

    /** An HTTP response; the master writes it back to the client unchanged. */
    record Response(long id, int status, List<Header> headers, byte[] body) implements Message {
        public Kind kind() {
            return Kind.RESPONSE;
        }

        /** A plain-text response, for answers the master or a child makes up itself. */
        public static Response text(long id, int status, String text) {
            return new Response(id, status, List.of(new Header("Content-Type", "text/plain; charset=utf-8")),
                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** The first value of a header, ignoring case, or null. */
        public String header(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name))
                    .map(Header::value).findFirst().orElse(null);
        }
    }
}
