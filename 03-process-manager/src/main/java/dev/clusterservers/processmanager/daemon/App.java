package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.config.AppSpec;
import java.util.ArrayList;
import java.util.List;

/** One app the daemon runs: its checked spec, its instances, and in cluster mode its port. */
final class App {
    private AppSpec spec;
    private final PortHold port;
    private final List<Instance> instances = new ArrayList<>();
    /** Old processes a reload replaced, still finishing their requests, and replacements it discarded; none in the table. */
    private final List<Child> retiring = new ArrayList<>();
    private RollingReload reload;

    App(AppSpec spec, PortHold port) {
        this.spec = spec;
        this.port = port;
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

    /** The listening socket every instance inherits, with {@code "listen": "shared"}; else null. */
    SharedListener sharedListener() {
        return port instanceof SharedListener shared ? shared : null;
    }

    void releasePort() {
        if (port != null) {
            port.close();
        }
    }
}
