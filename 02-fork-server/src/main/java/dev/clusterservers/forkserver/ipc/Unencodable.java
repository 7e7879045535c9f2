package dev.clusterservers.forkserver.ipc;

/**
 * A message that does not fit the wire format: the one error {@link Frames#encode} throws. It
 * says which limit was hit, so the master can tell the client what was wrong with its request
 * (too many headers is {@code 431}, too big is {@code 413}) instead of failing inside.
 */
public final class Unencodable extends IllegalArgumentException {
    /** The limit of the wire format that the message is over. */
    public enum Limit {
        /** more than {@value Frames#MAX_HEADERS} headers */
        HEADERS,
        /** a string (a method, path, query, header name or value) over 65,535 bytes of UTF-8 */
        STRING,
        /** a whole payload over {@value Frames#MAX_PAYLOAD} bytes */
        FRAME
    }

    private final Limit limit;

    Unencodable(Limit limit, String message) {
        super(message);
        this.limit = limit;
    }

    public Limit limit() {
        return limit;
    }
}
