package dev.clusterservers.beyondonemachine.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code lab status}: each host as three parties see it. The kernel (is its link up?), jpm on
 * the host (its instances' PIDs and states), the app itself (each process's release and the
 * requests it served, asked on the host's own address), and HAProxy (UP, DOWN, DRAIN, MAINT,
 * its sessions and the requests it sent there).
 */
public final class LabStatus {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** New connections to a host land on any of its instances; this many asks find each one, most of the time. */
    static final int ASKS_PER_INSTANCE = 4;

    private LabStatus() {
    }

    public static List<String> lines(LabPlan plan, LabHome home, Tools tools) {
        List<String> lines = new ArrayList<>();
        Map<String, RuntimeApi.ServerStat> servers;
        try {
            servers = new Haproxy(home).api().servers();
        } catch (IOException e) {
            servers = Map.of();
            lines.add("haproxy: not answering on " + home.haproxySocket() + " (" + e.getMessage() + ")");
        }
        lines.add(String.format("lab %s: HAProxy on 127.0.0.1:%d, Redis on %s:%d (host db), folder %s", plan.name(),
                plan.port(), plan.redisAddress(), LabPlan.REDIS_PORT, home.root()));
        lines.add(String.format("%-4s %-12s %-5s %-10s %-9s %-34s %s", "host", "address", "link", "haproxy", "sessions",
                "instances (pid status ↺)", "release · served, per process"));
        Hosts hosts = new Hosts(plan, home, tools);
        // Each host's jpm list starts a JVM: ask every host at once.
        Map<String, List<JsonNode>> instancesByHost = new java.util.concurrent.ConcurrentHashMap<>();
        plan.hostNames().parallelStream().forEach(host -> instancesByHost.put(host, hosts.instances(host)));
        for (String host : plan.hostNames()) {
            RuntimeApi.ServerStat stat = servers.get(host);
            boolean cut = Network.isCut(plan, host);
            List<String> instances = new ArrayList<>();
            for (JsonNode instance : instancesByHost.get(host)) {
                instances.add(instance.path("pid").asText("?") + " " + instance.path("status").asText("?") + " "
                        + instance.path("restarts").asText("0"));
            }
            String processes = cut ? "(unreachable: link down)" : describeProcesses(plan, host);
            lines.add(String.format("%-4s %-12s %-5s %-10s %-9s %-34s %s", host, plan.hostAddress(host), cut ? "DOWN" : "up",
                    stat == null ? "?" : stat.status(), stat == null ? "?" : stat.sessions() + " / " + stat.total(),
                    instances.isEmpty() ? (Network.pids(plan.namespace(host)).isEmpty() ? "(nothing runs on it)" : "(jpm not answering)")
                            : String.join(", ", instances), processes));
        }
        lines.add("sessions: now / in all, as HAProxy counts them; served: requests each process counted itself");
        return lines;
    }

    /** Asks the host's own address a few times, each on a new connection, and reports each process that answered. */
    private static String describeProcesses(LabPlan plan, String host) {
        Map<Long, String> byPid = new TreeMap<>();
        for (int i = 0; i < ASKS_PER_INSTANCE * plan.instances(); i++) {
            try {
                HttpURLConnection ask = (HttpURLConnection) URI.create(
                        "http://" + plan.hostAddress(host) + ":" + plan.appPort() + "/info").toURL().openConnection();
                ask.setConnectTimeout(500);
                ask.setReadTimeout(3_000);
                // A new connection each time, so the kernel may hand each to another instance.
                ask.setRequestProperty("Connection", "close");
                try (InputStream in = ask.getInputStream()) {
                    JsonNode info = JSON.readTree(in);
                    byPid.put(info.path("pid").asLong(), info.path("release").asText() + " · " + info.path("served").asLong());
                }
            } catch (IOException e) {
                return "(no answer: " + e.getClass().getSimpleName() + ")";
            }
        }
        List<String> parts = new ArrayList<>();
        byPid.forEach((pid, what) -> parts.add(pid + ": " + what));
        return String.join(", ", parts);
    }
}
