package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.lifecycle.Lifecycle;
import dev.clusterservers.processmanager.lifecycle.ReloadState;
import dev.clusterservers.processmanager.ports.PortHold;
import dev.clusterservers.processmanager.ports.SharedListener;
import java.util.ArrayList;
import java.util.List;

/** One app the daemon runs: its checked spec, its instances, and in cluster mode its port. */
final class ManagedApp {
    private AppSpec spec;
    private final PortHold port;
    private final List<Instance> instances = new ArrayList<>();
    /** Old processes a reload replaced, still finishing their requests, and replacements it discarded; none in the table. */
    private final List<Lifecycle.Retiring<InstanceHandle>> retiring = new ArrayList<>();
    private ReloadState<Instance, InstanceHandle> reload = new ReloadState.Idle<>();

    ManagedApp(AppSpec spec, PortHold port) {
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

    List<Lifecycle.Retiring<InstanceHandle>> retiring() {
        return retiring;
    }

    /** The retiring state of this process; null if it is not retiring. */
    Lifecycle.Retiring<InstanceHandle> retiringOf(InstanceHandle child) {
        return retiring.stream().filter(r -> r.process() == child).findFirst().orElse(null);
    }

    ReloadState<Instance, InstanceHandle> reload() {
        return reload;
    }

    /** Only the {@link Supervisor}, with what {@link ReloadState#next} returned. */
    void setReload(ReloadState<Instance, InstanceHandle> reload) {
        this.reload = reload;
    }

    boolean isReloading() {
        return reload instanceof ReloadState.InProgress;
    }

    /** Why its last reload failed, as the requester hears it; null if it did not. */
    String reloadFailure() {
        if (reload instanceof ReloadState.Failed<Instance, InstanceHandle> failed) {
            return "reload of " + name() + " stopped at instance " + failed.at().id() + ": " + failed.why()
                    + "; the old process keeps serving";
        }
        return null;
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
