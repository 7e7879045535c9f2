package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.config.AppSpec;
import java.io.IOException;

/** The daemon's hold on a cluster app's port, one kind per {@code listen} strategy. */
sealed interface PortHold extends AutoCloseable permits PortReservation, SharedListener {
    /** The port held (the real one when the ecosystem file asked for 0). */
    int port();

    @Override
    void close();

    /** Holds the port of a cluster-mode app the way its {@code listen} key says. */
    static PortHold hold(AppSpec spec) throws IOException {
        return switch (spec.listen()) {
            case SHARED -> SharedListener.listen(spec.port());
            case REUSEPORT -> PortReservation.reserve(spec.port());
        };
    }
}
