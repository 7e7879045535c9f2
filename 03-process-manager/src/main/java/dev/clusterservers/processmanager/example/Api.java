package dev.clusterservers.processmanager.example;

import dev.clusterservers.plumbing.CloseWhenDraining;
import dev.clusterservers.plumbing.JettyWithoutJmx;
import dev.clusterservers.plumbing.ServeOnSelectorThread;
import dev.clusterservers.processmanager.metrics.Counter;
import dev.clusterservers.processmanager.metrics.Mean;
import dev.clusterservers.processmanager.metrics.Meter;
import dev.clusterservers.processmanager.metrics.Metrics;
import io.javalin.Javalin;
import io.javalin.http.servlet.DefaultTasks;
import java.time.Duration;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial's {@code api.js} in Java: a plain Javalin app that answers with its PID. It
 * binds the port it is given and knows nothing of clusters; {@code jpm start process.json}
 * runs four of them on one port.
 *
 * <p>The one thing it does that a throw-away app might not, any app under any manager
 * (PM2, systemd, Kubernetes) must: on SIGTERM it stops taking connections, finishes the
 * requests in flight, then exits. That is what makes {@code jpm reload} lose nothing.
 *
 * <p>It also publishes three numbers of its own with jpm's metrics client, as an app would
 * with PM2's {@code @pm2/io}: requests served, requests per second, and mean latency.
 * {@code jpm describe} and {@code jpm monit} show them; outside jpm they are only counted.
 */
public final class Api {
    private static final Logger LOG = LoggerFactory.getLogger("api");
    /** The tutorial's default port. */
    static final int DEFAULT_PORT = 8000;
    /** How long requests in flight may take to finish once SIGTERM arrives. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** The longest {@code /slow?ms=} will sleep. */
    static final long MAX_SLOW_MS = 60_000;
    /** The request attribute that holds when the request came in, for the latency metric. */
    static final String STARTED_NANOS = "jpm.example.startedNanos";
    /**
     * Jetty's request threads. A request here never blocks except {@code /slow}, so a few
     * threads keep an instance's cores busy; Javalin's default pool grows far larger, and
     * jpm runs several instances side by side on the same cores.
     */
    static final int MAX_THREADS = 8;
    static final int MIN_THREADS = 2;
    /** The buffer Javalin copies each answer through, allocated per request. */
    static final int RESPONSE_COPY_BUFFER = 1024;

    private Api() {
    }

    /** The routes, built by a method tests can call without a process manager. */
    public static Javalin create() {
        JettyWithoutJmx.beforeJettyLoads();
        long pid = ProcessHandle.current().pid();
        Counter requests = Metrics.counter("requests");
        Meter rate = Metrics.meter("throughput", "req/s");
        Mean latency = Metrics.mean("latency (mean)", "ms");
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            // Every step of Javalin's request life cycle costs each request, used or not: these
            // routes use before handlers, endpoints and after handlers, so only those run.
            cfg.requestLifeCycle(DefaultTasks.INSTANCE.getBEFORE(), DefaultTasks.INSTANCE.getHTTP(),
                    DefaultTasks.INSTANCE.getAFTER());
            QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
            pool.setName("api-http");
            cfg.jetty.threadPool = pool;
            // Javalin copies each answer through a buffer it allocates per request, 32 KiB by
            // default: nearly all of a request's garbage. These answers are a few dozen bytes.
            cfg.http.responseBufferSize = RESPONSE_COPY_BUFFER;
            String pidHeader = Long.toString(pid);
            // One before handler, not one per job: each is matched against every request's path.
            // The time is taken around the route, so the latency is the app's own, not the network's.
            cfg.routes.before(ctx -> {
                ctx.header("X-Worker-Pid", pidHeader);
                ctx.attribute(STARTED_NANOS, System.nanoTime());
            });
            cfg.routes.after(ctx -> {
                Long started = ctx.attribute(STARTED_NANOS);
                requests.inc();
                rate.mark();
                if (started != null) {
                    latency.update((System.nanoTime() - started) / 1e6);
                }
            });
            cfg.routes.get("/", ctx -> ctx.result("Hello from worker PID:" + pid + "\n"));
            cfg.routes.get("/slow", ctx -> {
                long ms = ctx.queryParamAsClass("ms", Long.class)
                        .check(v -> v >= 0 && v <= MAX_SLOW_MS, "must be between 0 and " + MAX_SLOW_MS)
                        .getOrDefault(1_000L);
                Thread.sleep(ms);
                ctx.result("Slept " + ms + " ms in worker PID:" + pid + "\n");
            });
            // Graceful stop on SIGTERM: Jetty's own shutdown hook, after the app's drain, which
            // tells kept-alive clients to reconnect rather than answer them 503.
            cfg.jetty.modifyServer(server -> {
                server.setStopAtShutdown(true);
                server.setStopTimeout(DRAIN_TIMEOUT.toMillis());
                // In place of Javalin's StatisticsHandler, not on top of it: the drain counts
                // requests in flight, all a graceful stop needs, with one wrapper fewer per request.
                CloseWhenDraining.install(server, DRAIN_TIMEOUT);
                // "/" answers from memory: it is served on the thread that read it, as a Node
                // worker serves, without waking a pool thread; /slow still goes to the pool.
                ServeOnSelectorThread.install(server, ServeOnSelectorThread.bodylessGetOf("/"));
                // The last line an instance logs: a reload soak adds these up and compares them with its client's count.
                server.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStopped(LifeCycle event) {
                        LOG.info("Worker PID: {} stopped after serving {} requests", pid, (long) requests.value());
                    }
                });
            });
        });
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0])
                : Integer.parseInt(System.getenv().getOrDefault("PORT", Integer.toString(DEFAULT_PORT)));
        create().start(port);
        LOG.info("Worker created, PID: {} PORT: {}", ProcessHandle.current().pid(), port);
    }
}
