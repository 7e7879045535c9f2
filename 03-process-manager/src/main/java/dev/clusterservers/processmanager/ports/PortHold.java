package dev.clusterservers.processmanager.ports;

import dev.clusterservers.processmanager.config.AppSpec;
import java.io.IOException;
import java.nio.channels.NetworkChannel;

/** The daemon's hold on a cluster app's port, one kind per {@code listen} strategy. */
public sealed interface PortHold extends AutoCloseable permits PortReservation, SharedListener {
    /** The port held (the real one when the ecosystem file asked for 0). */
    int port();

    /** The daemon's socket on the port. */
    NetworkChannel socket();

    /**
     * Only when the app is deleted. With a shared listener, an instance's copy closing never
     * touches this one; either socket closing loses nothing, since the app is gone.
     */
    @Override
    default void close() {
        try {
            socket().close();
        } catch (IOException e) {
            // Nothing is left that could be lost: no instance runs.
        }
    }

    /** Holds the port of a cluster-mode app the way its {@code listen} key says. */
    static PortHold hold(AppSpec spec) throws IOException {
        return switch (spec.listen()) {
            case SHARED -> SharedListener.listen(spec.port());
            case REUSEPORT -> PortReservation.reserve(spec.port());
        };
    }
}
