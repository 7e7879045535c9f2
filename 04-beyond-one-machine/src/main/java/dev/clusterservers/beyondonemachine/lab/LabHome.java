package dev.clusterservers.beyondonemachine.lab;

import java.nio.file.Path;

/**
 * The lab's folder ({@code $LAB_HOME}, by default {@code 04-beyond-one-machine/lab-home}): every
 * file the lab writes is here, so {@code down} removes the folder and nothing of the lab is
 * left. A learner reads {@code haproxy.cfg} and each host's {@code ecosystem.json} and jpm logs.
 *
 * <pre>
 *   lab.properties          the plan: name, subnet, hosts, ports
 *   haproxy.cfg             HAProxy's configuration, generated from the plan
 *   haproxy.sock, .pid      its runtime API (mode 600) and its PID
 *   redis/                  redis-server's PID file and log
 *   releases/vN.jar         each release {@code deploy} shipped, stamped with its version
 *   hosts/h1/app.jar        the release host h1 runs
 *   hosts/h1/ecosystem.json what jpm on h1 was started with
 *   hosts/h1/jpm/           h1's JPM_HOME: its daemon's socket, log and the instances' logs
 *   deploy.lock             held while a deploy runs, so a second one is refused
 * </pre>
 */
public record LabHome(Path root) {
    public Path plan() {
        return root.resolve("lab.properties");
    }

    public Path haproxyConfig() {
        return root.resolve("haproxy.cfg");
    }

    public Path haproxySocket() {
        return root.resolve("haproxy.sock");
    }

    public Path haproxyPid() {
        return root.resolve("haproxy.pid");
    }

    public Path redis() {
        return root.resolve("redis");
    }

    public Path releases() {
        return root.resolve("releases");
    }

    public Path host(String host) {
        return root.resolve("hosts").resolve(host);
    }

    public Path appJar(String host) {
        return host(host).resolve("app.jar");
    }

    public Path ecosystem(String host) {
        return host(host).resolve("ecosystem.json");
    }

    /** The host's own JPM_HOME: each host runs its own jpm daemon, as separate machines would. */
    public Path jpmHome(String host) {
        return host(host).resolve("jpm");
    }

    public Path deployLock() {
        return root.resolve("deploy.lock");
    }

    /** What {@code down} removes: these, and the folder itself once it is empty. */
    public java.util.List<Path> ownFiles() {
        return java.util.List.of(plan(), haproxyConfig(), haproxySocket(), haproxyPid(), redis(), releases(),
                root.resolve("hosts"), deployLock());
    }
}
