package dev.clusterservers.beyondonemachine.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * HAProxy as the lab runs it: in the root namespace, the only door from 127.0.0.1 into the
 * lab's network, started from the generated {@code haproxy.cfg} and stopped by its PID (there
 * is no systemd here, and the lab must not touch a system HAProxy).
 */
public final class Haproxy {
    private final LabHome home;

    public Haproxy(LabHome home) {
        this.home = home;
    }

    public RuntimeApi api() {
        return new RuntimeApi(home.haproxySocket());
    }

    /** Writes the configuration, has HAProxy check it, and starts HAProxy in the background. */
    public void start(HaproxyConfig config) throws IOException {
        Files.writeString(home.haproxyConfig(), config.render());
        Shell.run("haproxy", "-c", "-q", "-f", home.haproxyConfig().toString());
        Shell.run("haproxy", "-D", "-p", home.haproxyPid().toString(), "-f", home.haproxyConfig().toString());
    }

    /** Stops this lab's HAProxy: the one its PID file names and any other started from its configuration. */
    public List<String> stop() {
        List<ProcessHandle> processes = new ArrayList<>(Processes.withArgument(home.haproxyConfig().toString()));
        Processes.fromPidFile(home.haproxyPid()).filter(p -> !processes.contains(p)).ifPresent(processes::add);
        List<String> stopped = new ArrayList<>();
        Processes.stop(processes, stopped::add);
        return stopped;
    }

    /** Waits until every server passes {@code ready}, or fails saying which did not. */
    public Map<String, RuntimeApi.ServerStat> await(Predicate<RuntimeApi.ServerStat> ready, String what, Duration limit)
            throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<String, RuntimeApi.ServerStat> servers = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                servers = api().servers();
                if (!servers.isEmpty() && servers.values().stream().allMatch(ready)) {
                    return servers;
                }
            } catch (IOException e) {
                // HAProxy is still starting: its socket is not there yet
            }
            Processes.sleep(200);
        }
        throw new IOException("HAProxy did not see " + what + " within " + limit.toSeconds() + " s; it sees "
                + servers.values().stream().map(s -> s.host() + " " + s.status() + " (" + s.check() + ")").toList());
    }
}
