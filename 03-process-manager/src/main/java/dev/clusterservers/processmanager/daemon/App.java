package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.config.AppSpec;
import java.util.ArrayList;
import java.util.List;

/** One app the daemon runs: its checked spec, its instances, and in cluster mode its port. */
final class App {
    private AppSpec spec;
    private final PortReservation reservation;
    private final List<Instance> instances = new ArrayList<>();
    /** Old processes a reload replaced: still finishing their requests, no longer in the table. */
    private final List<Child> retiring = new ArrayList<>();
    private RollingReload reload;

    App(AppSpec spec, PortReservation reservation) {
        this.spec = spec;
        this.reservation = reservation;
    }

    String name() {
        return spec.name();
    }

    AppSpec spec() {
        return spec;
    }

    void setSpec(AppSpec spec) {
        this.spec = spec;
    }

    List<Instance> instances() {
        return instances;
    }

    List<Child> retiring() {
        return retiring;
    }

    RollingReload reload() {
        return reload;
    }

    void setReload(RollingReload reload) {
        this.reload = reload;
    }

    void releasePort() {
        if (reservation != null) {
            reservation.close();
        }
    }
}
