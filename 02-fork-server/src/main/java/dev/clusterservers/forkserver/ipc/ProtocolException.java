package dev.clusterservers.forkserver.ipc;

import java.io.IOException;

/**
 * The bytes on a pipe are not a frame: bad magic, unknown kind, a length over the limit,
 * fields that do not add up. There is no way to find the next frame after that, so the
 * peer that sent it is recycled.
 */
public final class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }
}
