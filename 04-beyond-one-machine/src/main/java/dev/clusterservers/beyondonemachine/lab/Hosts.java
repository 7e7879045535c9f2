package dev.clusterservers.beyondonemachine.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What runs on each host, started inside the host's namespace as it would be on its own
 * machine: {@code redis-server} on the db host, and on every app host a jpm daemon of its own
 * (its own {@code JPM_HOME}) that runs the app in cluster mode. The lab drives jpm only through
 * its command line, as a user or a deploy script would.
 */
public final class Hosts {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** jpm's own answers come quickly; a start or reload waits for instances, which on 2 busy cores can take a while. */
    static final long JPM_TIMEOUT_SECONDS = 180;
    /** How long jpm start may wait for a host's instances: generous, since several hosts start on 2 cores. */
    static final long START_WAIT_SECONDS = 120;
    /** Each instance's heap and core share: several hosts' JVMs share this machine's 2 cores. */
    static final String JVM_ARGS = "-XX:+UseSerialGC -Xms16m -Xmx64m -XX:ActiveProcessorCount=1";

    private final LabPlan plan;
    private final LabHome home;
    private final Tools tools;

    public Hosts(LabPlan plan, LabHome home, Tools tools) {
        this.plan = plan;
        this.home = home;
        this.tools = tools;
    }

    /** redis-server in the db host, bound to that host's address only; no persistence: the lab is throw-away. */
    public void startRedis() throws IOException {
        Files.createDirectories(home.redis());
        Shell.run(Shell.inNamespace(plan.namespace(plan.redisHost()), List.of(
                "redis-server", "--bind", plan.redisAddress(), "--port", Integer.toString(LabPlan.REDIS_PORT),
                "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "yes",
                "--pidfile", home.redis().resolve("redis.pid").toString(),
                "--logfile", home.redis().resolve("redis.log").toString(),
                "--dir", home.redis().toString())).toArray(String[]::new));
    }

    /** Writes the host's ecosystem file and its copy of the app's jar, then {@code jpm start}s it. */
    public void startApp(String host, Path release) throws IOException {
        Files.createDirectories(home.jpmHome(host));
        Files.copy(release, home.appJar(host), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(home.ecosystem(host), ecosystem(host));
        // jpm start answers once every instance is ready, or says which did not come up (and exits 1).
        jpm(host, "start", "--wait", Long.toString(START_WAIT_SECONDS), home.ecosystem(host).toString());
    }

    /** The host's {@code ecosystem.json}: the tutorial's shape, with the host's name and Redis's address. */
    String ecosystem(String host) {
        ObjectNode app = JSON.createObjectNode();
        app.put("name", "api");
        app.put("script", home.appJar(host).toString());
        app.put("instances", plan.instances());
        app.put("exec_mode", "cluster");
        app.put("port", plan.appPort());
        app.put("jvm_args", JVM_ARGS);
        ObjectNode env = app.putObject("env");
        env.put("LAB_HOST", host);
        env.put("REDIS_ADDRESS", plan.redisAddress() + ":" + LabPlan.REDIS_PORT);
        ObjectNode root = JSON.createObjectNode();
        root.putArray("apps").add(app);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Ships a release to a host: the new jar replaces the old one by a rename, so a process that
     * still runs the old jar keeps its open file, and every process started from now on runs the new.
     */
    public void install(String host, Path release) throws IOException {
        Path next = home.host(host).resolve("app.jar.next");
        Files.copy(release, next, StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, home.appJar(host), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code jpm reload api} on the host: one instance at a time, each new one ready before the old one drains. */
    public void reload(String host) {
        jpm(host, "reload", "api");
    }

    /**
     * The naive deploy: stop the app, then start the new release ({@code jpm delete api}, then
     * {@code jpm start}), as a deploy script without a zero-downtime reload does. Between the
     * two, nothing on the host listens: connections to it are refused.
     */
    public void stopAndStart(String host) {
        jpm(host, "delete", "api");
        jpm(host, "start", "--wait", Long.toString(START_WAIT_SECONDS), home.ecosystem(host).toString());
    }

    /** The host's instances as {@code jpm list --json} gives them: id, PID, status, restarts. */
    public List<JsonNode> instances(String host) {
        List<JsonNode> instances = new ArrayList<>();
        // jpm's CLI starts a daemon when none runs, as PM2's does: asking a host whose processes
        // were killed must not start one there behind the learner's back.
        if (Network.pids(plan.namespace(host)).isEmpty()) {
            return instances;
        }
        Shell.Result result = jpmResult(host, List.of("list", "--json"));
        if (!result.ok()) {
            return instances;
        }
        try {
            // jpm list --json prints an array of instances, as pm2 jlist does.
            JSON.readTree(result.output().strip()).forEach(instances::add);
        } catch (IOException e) {
            return instances;
        }
        return instances;
    }

    /** Stops the host's jpm daemon and everything it runs ({@code jpm kill}), if it still answers. */
    public void killJpm(String host) {
        if (Files.isDirectory(home.jpmHome(host))) {
            jpmResult(host, List.of("kill"));
        }
    }

    private void jpm(String host, String... args) {
        Shell.Result result = jpmResult(host, List.of(args));
        if (!result.ok()) {
            throw new Shell.CommandFailed(result);
        }
    }

    private Shell.Result jpmResult(String host, List<String> args) {
        List<String> command = new ArrayList<>(List.of(tools.jpm().toString()));
        command.addAll(args);
        return Shell.tryRun(Shell.inNamespace(plan.namespace(host), command),
                Map.of("JPM_HOME", home.jpmHome(host).toString()), JPM_TIMEOUT_SECONDS);
    }
}
