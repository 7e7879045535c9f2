package dev.clusterservers.beyondonemachine.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The lab's hosts as the kernel sees them: one network namespace per host, each with its own
 * network stack (its own interfaces, addresses, ports and TCP connections), joined by veth
 * pairs to one bridge in the root namespace, where HAProxy runs.
 *
 * <pre>
 *   root namespace: HAProxy on 127.0.0.1:8000 ── NAME-br (10.77.0.1/24)
 *                                                  ├── NAME-db ── [NAME-db] eth0 10.77.0.2   redis-server
 *                                                  ├── NAME-h1 ── [NAME-h1] eth0 10.77.0.11  jpm + instances
 *                                                  └── NAME-h2 ── [NAME-h2] eth0 10.77.0.12  jpm + instances
 * </pre>
 *
 * <p>No namespace has a default route, and the root namespace forwards nothing into or out of
 * the subnet, so the lab's traffic cannot leave this machine. Cutting a host off is what a
 * pulled cable does: its root end of the veth goes down, and packets to it are dropped (not
 * refused), so its peers learn of it only by timeouts.
 */
public final class Network {
    private Network() {
    }

    /** Makes the bridge and every host's namespace and link; {@code say} narrates each host. */
    public static void create(LabPlan plan, Consumer<String> say) {
        Shell.run("ip", "link", "add", plan.bridge(), "type", "bridge");
        Shell.run("ip", "addr", "add", plan.bridgeAddress() + "/24", "dev", plan.bridge());
        Shell.run("ip", "link", "set", plan.bridge(), "up");
        say.accept("network: bridge " + plan.bridge() + " " + plan.bridgeAddress() + "/24 (no route out of the lab)");
        addHost(plan, plan.redisHost(), plan.redisAddress());
        say.accept("host " + plan.redisHost() + ": namespace " + plan.namespace(plan.redisHost()) + ", " + plan.redisAddress());
        for (String host : plan.hostNames()) {
            addHost(plan, host, plan.hostAddress(host));
            say.accept("host " + host + ": namespace " + plan.namespace(host) + ", " + plan.hostAddress(host));
        }
    }

    private static void addHost(LabPlan plan, String host, String address) {
        String namespace = plan.namespace(host);
        String rootEnd = namespace;          // e.g. jcs-h1, in the root namespace, on the bridge
        String hostEnd = namespace + "p";    // renamed eth0 once inside the host
        Shell.run("ip", "netns", "add", namespace);
        Shell.run("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", hostEnd);
        Shell.run("ip", "link", "set", hostEnd, "netns", namespace);
        Shell.run("ip", "-n", namespace, "link", "set", hostEnd, "name", "eth0");
        Shell.run("ip", "-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
        Shell.run("ip", "-n", namespace, "link", "set", "eth0", "up");
        Shell.run("ip", "-n", namespace, "link", "set", "lo", "up");
        Shell.run("ip", "link", "set", rootEnd, "master", plan.bridge());
        Shell.run("ip", "link", "set", rootEnd, "up");
    }

    /** Pulls a host's cable: its link goes down, and nothing reaches it or leaves it. */
    public static void cut(LabPlan plan, String host) {
        Shell.run("ip", "link", "set", plan.namespace(host), "down");
    }

    /** Plugs it back in. */
    public static void restore(LabPlan plan, String host) {
        Shell.run("ip", "link", "set", plan.namespace(host), "up");
    }

    public static boolean isCut(LabPlan plan, String host) {
        Shell.Result link = Shell.tryRun(List.of("ip", "-o", "link", "show", plan.namespace(host)), java.util.Map.of(), 10);
        return link.ok() && !link.output().contains(",UP");
    }

    /**
     * Slows a host's link with the kernel's netem ({@code tc qdisc replace dev eth0 root netem
     * delay 100ms loss 1%}), or removes it ({@code spec} empty). Returns null when done, or why
     * it could not be: many kernels (these machines' among them) are built without netem, and
     * then the lab goes on without it.
     */
    public static String netem(LabPlan plan, String host, List<String> spec) {
        List<String> tc = new ArrayList<>(List.of("tc", "qdisc", spec.isEmpty() ? "del" : "replace", "dev", "eth0", "root"));
        if (!spec.isEmpty()) {
            tc.add("netem");
            tc.addAll(spec);
        }
        Shell.Result result = Shell.tryRun(Shell.inNamespace(plan.namespace(host), tc), java.util.Map.of(), 10);
        if (result.ok()) {
            return null;
        }
        if (result.output().contains("Specified qdisc kind is unknown")) {
            return "this kernel has no netem (`tc` says: Specified qdisc kind is unknown), so the lab cannot add latency "
                    + "or loss here; everything else in the lab works without it";
        }
        if (spec.isEmpty() && (result.output().contains("No such file") || result.output().contains("Cannot delete qdisc with handle of zero"))) {
            return null; // nothing to remove
        }
        return "`" + String.join(" ", tc) + "` in " + plan.namespace(host) + " failed: " + result.output().strip();
    }

    /** Every namespace on this machine whose name starts with {@code prefix}. */
    public static List<String> namespaces(String prefix) {
        List<String> found = new ArrayList<>();
        for (String line : Shell.run("ip", "netns", "list").split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty() && name.startsWith(prefix)) {
                found.add(name);
            }
        }
        return found;
    }

    /** Every link in the root namespace whose name starts with {@code prefix} (the bridge, the veths' root ends). */
    public static List<String> links(String prefix) {
        List<String> found = new ArrayList<>();
        for (String line : Shell.run("ip", "-o", "link", "show").split("\n")) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length < 2) {
                continue;
            }
            String name = fields[1].split("@")[0];
            if (name.startsWith(prefix)) {
                found.add(name);
            }
        }
        return found;
    }

    /** The PIDs of every process that lives in a namespace. */
    public static List<Long> pids(String namespace) {
        Shell.Result result = Shell.tryRun(List.of("ip", "netns", "pids", namespace), java.util.Map.of(), 10);
        List<Long> pids = new ArrayList<>();
        if (result.ok()) {
            for (String line : result.output().split("\n")) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.strip()));
                }
            }
        }
        return pids;
    }

    /**
     * Removes every namespace and link with the lab's prefix, after ending every process in
     * them: a namespace lives on while a process is in it, even after {@code ip netns del}.
     * Safe to run on a half-built lab, or on none. Returns what it removed, for the log.
     */
    public static List<String> sweep(String prefix) {
        List<String> removed = new ArrayList<>();
        List<String> namespaces = namespaces(prefix);
        List<ProcessHandle> processes = new ArrayList<>();
        for (String namespace : namespaces) {
            for (long pid : pids(namespace)) {
                ProcessHandle.of(pid).ifPresent(processes::add);
            }
        }
        Processes.stop(processes, removed::add);
        for (String namespace : namespaces) {
            Shell.Result result = Shell.tryRun(List.of("ip", "netns", "del", namespace), java.util.Map.of(), 10);
            if (result.ok()) {
                removed.add("namespace " + namespace);
            }
        }
        // Deleting a namespace deletes the veth ends inside it, and with them their root ends; the bridge stays.
        for (String link : links(prefix)) {
            Shell.Result result = Shell.tryRun(List.of("ip", "link", "del", link), java.util.Map.of(), 10);
            if (result.ok()) {
                removed.add("link " + link);
            }
        }
        return removed;
    }
}
