package dev.clusterservers.processmanager.daemon;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.config.ExecMode;
import dev.clusterservers.processmanager.lifecycle.Status;
import dev.clusterservers.processmanager.ports.PortHold;
import dev.clusterservers.processmanager.protocol.JsonLines;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The CLI's verbs, one {@code handleX} per {@link Request} type. Each either answers at once
 * or leaves a condition with the daemon, which answers when it holds (e.g. {@code stop}
 * answers once the processes have exited), so the loop never blocks on a slow app.
 */
final class Requests {
    /** Waits for {@code done}, then sends {@code reply}. */
    interface Awaiter {
        void await(BooleanSupplier done, Supplier<Reply> reply, Consumer<Reply> sink);
    }

    /** Begins the daemon's own shutdown; {@code reply} is sent when it is complete. */
    interface Shutdown {
        void begin(String why, Consumer<Reply> reply);
    }

    private static final Set<Status> SETTLED = Set.of(Status.ONLINE, Status.ERRORED, Status.STOPPED, Status.WAITING_RESTART);

    private final Home home;
    private final Supervisor supervisor;
    private final Awaiter awaiter;
    private final Shutdown shutdown;

    Requests(Home home, Supervisor supervisor, Awaiter awaiter, Shutdown shutdown) {
        this.home = home;
        this.supervisor = supervisor;
        this.awaiter = awaiter;
        this.shutdown = shutdown;
    }

    void handle(Request request, Consumer<Reply> reply) {
        try {
            request.accept(new Verbs(reply));
        } catch (NoSuchTarget e) {
            reply.accept(new Reply.Failed(e.getMessage()));
        }
    }

    /** Which verb answers which request: one method per type, so none is left without a reply. */
    private final class Verbs implements Request.Handler {
        private final Consumer<Reply> reply;

        Verbs(Consumer<Reply> reply) {
            this.reply = reply;
        }

        @Override
        public void start(Request.Start start) {
            handleStart(start.apps(), start.waitMs(), names -> "started " + names, reply);
        }

        @Override
        public void listAll(Request.ListAll listAll) {
            reply.accept(done(""));
        }

        @Override
        public void describe(Request.Describe describe) {
            List<Instance> instances = resolve(describe.target());
            reply.accept(new Reply.Done("", instances.stream().map(i -> Snapshot.of(i, supervisor.stats())).toList()));
        }

        @Override
        public void stop(Request.Stop stop) {
            handleStop(resolve(stop.target()), reply);
        }

        @Override
        public void restart(Request.Restart restart) {
            handleRestart(resolve(restart.target()), reply);
        }

        @Override
        public void reload(Request.Reload reload) {
            handleReload(resolve(reload.target()), reply);
        }

        @Override
        public void delete(Request.Delete delete) {
            handleDelete(resolve(delete.target()), reply);
        }

        @Override
        public void scale(Request.Scale scale) {
            handleScale(scale.name(), scale.change(), reply);
        }

        @Override
        public void save(Request.Save save) {
            handleSave(reply);
        }

        @Override
        public void resurrect(Request.Resurrect resurrect) {
            handleResurrect(reply);
        }

        @Override
        public void kill(Request.Kill kill) {
            shutdown.begin("jpm kill", reply);
        }
    }

    /** {@code message}: what the reply says, given the apps' names. */
    private void handleStart(List<AppSpec> specs, long waitMs, UnaryOperator<String> message, Consumer<Reply> reply) {
        for (AppSpec spec : specs) {
            if (supervisor.apps().containsKey(spec.name())) {
                reply.accept(new Reply.Failed("an app named '" + spec.name() + "' is already running;"
                        + " use reload, restart or delete first"));
                return;
            }
        }
        // Reserve every port first: if one is taken, nothing starts.
        Map<AppSpec, PortHold> reserved = new LinkedHashMap<>();
        for (AppSpec spec : specs) {
            if (spec.execMode() != ExecMode.CLUSTER) {
                reserved.put(spec, null);
                continue;
            }
            try {
                PortHold hold = PortHold.hold(spec);
                reserved.put(spec.withPort(hold.port()), hold);
            } catch (IOException e) {
                reserved.values().stream().filter(r -> r != null).forEach(PortHold::close);
                reply.accept(new Reply.Failed("cannot hold port " + spec.port() + " for '" + spec.name() + "': "
                        + e.getMessage() + "; nothing was started"));
                return;
            }
        }
        List<Instance> started = new ArrayList<>();
        reserved.forEach((spec, reservation) -> started.addAll(supervisor.add(spec, reservation).instances()));
        String names = String.join(", ", specs.stream().map(AppSpec::name).toList());
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        awaiter.await(() -> started.stream().allMatch(i -> SETTLED.contains(i.status())) || System.nanoTime() - giveUp >= 0,
                () -> done(message.apply(names)), reply);
    }

    private void handleStop(List<Instance> instances, Consumer<Reply> reply) {
        instances.forEach(supervisor::stop);
        awaiter.await(() -> instances.stream().noneMatch(i -> i.isRunning() || !i.app().retiring().isEmpty()),
                () -> done("stopped " + instances.size() + " instance(s)"), reply);
    }

    private void handleRestart(List<Instance> instances, Consumer<Reply> reply) {
        instances.forEach(supervisor::restart);
        awaiter.await(() -> instances.stream().allMatch(i -> !i.startAfterExit() && SETTLED.contains(i.status())),
                () -> done("restarted " + instances.size() + " instance(s)"), reply);
    }

    private void handleReload(List<Instance> instances, Consumer<Reply> reply) {
        Map<ManagedApp, List<Instance>> byApp = new LinkedHashMap<>();
        instances.forEach(i -> byApp.computeIfAbsent(i.app(), a -> new ArrayList<>()).add(i));
        for (ManagedApp app : byApp.keySet()) {
            if (app.isReloading()) {
                reply.accept(new Reply.Failed("a reload of " + app.name() + " is already in progress"));
                return;
            }
        }
        byApp.forEach(supervisor::reload);
        awaiter.await(() -> byApp.keySet().stream().noneMatch(ManagedApp::isReloading)
                        && instances.stream().allMatch(i -> !i.startAfterExit() && SETTLED.contains(i.status()))
                        && byApp.keySet().stream().allMatch(a -> a.retiring().isEmpty()),
                () -> {
                    List<String> failures = byApp.keySet().stream().map(ManagedApp::reloadFailure).filter(f -> f != null).toList();
                    return failures.isEmpty() ? done("reloaded " + instances.size() + " instance(s), one at a time")
                            : new Reply.Failed(String.join("; ", failures));
                }, reply);
    }

    private void handleDelete(List<Instance> instances, Consumer<Reply> reply) {
        List<ManagedApp> apps = instances.stream().map(Instance::app).distinct().toList();
        instances.forEach(supervisor::stopAndRemove);
        awaiter.await(() -> instances.stream().noneMatch(i -> i.app().instances().contains(i))
                        && apps.stream().allMatch(a -> a.retiring().isEmpty()),
                () -> done("deleted " + instances.size() + " instance(s)"), reply);
    }

    private void handleScale(String name, String change, Consumer<Reply> reply) {
        ManagedApp app = supervisor.apps().get(name);
        if (app == null) {
            reply.accept(new Reply.Failed("no app named '" + name + "'"));
            return;
        }
        int now = app.instances().size();
        int target;
        try {
            int n = Integer.parseInt(change.startsWith("+") ? change.substring(1) : change);
            target = change.startsWith("+") || change.startsWith("-") ? now + n : n;
        } catch (NumberFormatException e) {
            reply.accept(new Reply.Failed("scale: '" + change + "' is not N, +N or -N"));
            return;
        }
        if (target < 1 || target > dev.clusterservers.processmanager.config.Values.MAX_INSTANCES) {
            reply.accept(new Reply.Failed("scale: " + name + " would have " + target + " instances; keep 1 to "
                    + dev.clusterservers.processmanager.config.Values.MAX_INSTANCES + " (use stop or delete for none)"));
            return;
        }
        app.setSpec(app.spec().withInstances(target));
        List<Instance> added = new ArrayList<>();
        List<Instance> removed = new ArrayList<>(app.instances().subList(Math.min(target, now), now));
        for (int i = now; i < target; i++) {
            Instance instance = supervisor.addInstance(app);
            supervisor.spawn(instance);
            added.add(instance);
        }
        removed.forEach(supervisor::stopAndRemove);
        awaiter.await(() -> added.stream().allMatch(i -> SETTLED.contains(i.status()))
                        && removed.stream().noneMatch(i -> app.instances().contains(i)),
                () -> done("scaled " + name + " from " + now + " to " + target + " instance(s)"), reply);
    }

    private void handleSave(Consumer<Reply> reply) {
        List<AppSpec> specs = supervisor.apps().values().stream().map(ManagedApp::spec).toList();
        List<String> errored = supervisor.apps().values().stream()
                .filter(a -> a.instances().stream().anyMatch(i -> i.status() == Status.ERRORED)).map(ManagedApp::name).toList();
        try {
            Files.write(home.dump(), JsonLines.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(specs));
            Files.setPosixFilePermissions(home.dump(), Home.OWNER_ONLY_FILE);
            reply.accept(done("saved " + specs.size() + " app(s) to " + home.dump() + (errored.isEmpty() ? ""
                    : "; " + String.join(", ", errored) + " errored now: resurrect starts " + (errored.size() == 1 ? "it" : "them")
                    + " again, as it does every saved app (the dump keeps what to run, not how it ended)")));
        } catch (IOException e) {
            reply.accept(new Reply.Failed("cannot write " + home.dump() + ": " + e.getMessage()));
        }
    }

    private void handleResurrect(Consumer<Reply> reply) {
        if (!Files.exists(home.dump())) {
            reply.accept(new Reply.Failed("nothing saved in " + home.dump() + "; run jpm save first"));
            return;
        }
        try {
            List<AppSpec> saved = JsonLines.JSON.readValue(home.dump().toFile(), new TypeReference<List<AppSpec>>() { });
            List<AppSpec> missing = saved.stream().filter(s -> !supervisor.apps().containsKey(s.name())).toList();
            if (missing.isEmpty()) {
                reply.accept(done("every saved app is already running"));
                return;
            }
            // The dump keeps what to run, not how it last ended: after a reboot, what made an app
            // errored (a port taken, a file or a database missing) may well be gone. PM2 does the same.
            handleStart(missing, Request.Start.DEFAULT_WAIT.toMillis(),
                    names -> "resurrected " + names + " (each afresh, whatever its state when saved)", reply);
        } catch (IOException e) {
            reply.accept(new Reply.Failed("cannot read " + home.dump() + ": " + e.getMessage()));
        }
    }

    private Reply.Done done(String message) {
        return new Reply.Done(message, Daemon.table(supervisor));
    }

    /** "all", an instance id, or an app name. */
    private List<Instance> resolve(String target) {
        List<Instance> all = supervisor.apps().values().stream().flatMap(a -> a.instances().stream()).toList();
        if ("all".equals(target)) {
            return all;
        }
        ManagedApp app = supervisor.apps().get(target);
        if (app != null) {
            return List.copyOf(app.instances());
        }
        if (target != null && target.matches("\\d+")) {
            int id = Integer.parseInt(target);
            List<Instance> one = all.stream().filter(i -> i.id() == id).toList();
            if (!one.isEmpty()) {
                return one;
            }
        }
        throw new NoSuchTarget("no app or instance id '" + target + "' (see jpm list)");
    }

    /** Unchecked, so that the verbs' methods need not declare it; {@link #handle} turns it into a reply. */
    private static final class NoSuchTarget extends RuntimeException {
        NoSuchTarget(String message) {
            super(message);
        }
    }
}
