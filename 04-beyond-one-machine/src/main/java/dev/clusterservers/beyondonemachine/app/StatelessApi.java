package dev.clusterservers.beyondonemachine.app;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app every lab host runs under jpm: the tutorial's closing note made to work on several
 * machines. It keeps nothing that matters in its own heap, so any process on any host can
 * answer any request, and a host can be drained, replaced or lost.
 *
 * <p>Its routes, all visible here:
 * <ul>
 *   <li>{@code GET /}: who answered: the host, the process and the release it runs;</li>
 *   <li>{@code POST /visits}: one visit more in Redis ({@code INCR}), shared by every host;</li>
 *   <li>{@code POST /visits/in-memory}: one visit more in this process's heap: the wrong way,
 *       kept so the difference shows;</li>
 *   <li>{@code GET /health}: what HAProxy's health check asks; 503 once the process drains;</li>
 *   <li>{@code GET /info}: this process's host, PID, release and requests served, as JSON.</li>
 * </ul>
 *
 * <p>Configuration comes from the environment jpm gives each instance: {@code PORT} (jpm's),
 * {@code LAB_HOST} (the host's name) and {@code REDIS_ADDRESS} ({@code host:port}).
 */
public final class StatelessApi {
    private static final Logger LOG = LoggerFactory.getLogger("api");

    /** The release a jar answers with when the lab did not stamp one into it. */
    static final String UNSTAMPED = "v1";
    /** Where {@code lab deploy} writes a release's version into the jar it ships. */
    public static final String RELEASE_RESOURCE = "/release.properties";
    /** Jetty's request threads: a request here blocks at most on one Redis command. */
    static final int MAX_THREADS = 16;
    static final int MIN_THREADS = 2;
    /** How long a graceful stop waits for requests in flight. */
    static final long STOP_TIMEOUT_MS = 10_000;

    private StatelessApi() {
    }

    /** The app, built by a method tests can call without jpm or a lab. */
    public static Javalin create(String host, String release, VisitCounter visits) {
        long pid = ProcessHandle.current().pid();
        AtomicLong served = new AtomicLong();
        AtomicLong inMemoryVisits = new AtomicLong();
        AtomicBoolean draining = new AtomicBoolean();
        String who = "host " + host + ", worker PID:" + pid + ", release " + release;
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
            pool.setName("api-http");
            cfg.jetty.threadPool = pool;
            // Every answer says who gave it: the lab's load client counts answers per host and
            // per release from these two headers, which is how a deploy's timeline is drawn.
            cfg.routes.before(ctx -> {
                ctx.header("X-Lab-Host", host);
                ctx.header("X-Release", release);
                served.incrementAndGet();
            });
            cfg.routes.get("/", ctx -> ctx.result("Hello from " + who + "\n"));
            cfg.routes.get("/health", ctx -> {
                // HAProxy asks every 500 ms; a draining process says no, so no new request is sent to it.
                ctx.status(draining.get() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
                ctx.result(draining.get() ? "draining\n" : "ok\n");
            });
            cfg.routes.get("/info", ctx -> ctx.json(Map.of(
                    "host", host, "pid", pid, "release", release, "served", served.get())));
            // The state that must be shared lives in Redis: every host adds to one number.
            cfg.routes.post("/visits", ctx -> {
                try {
                    ctx.result("visits: " + visits.increment() + " (Redis, counted by " + who + ")\n");
                } catch (VisitCounter.Unavailable e) {
                    // Not a 500: nothing is wrong with this request or this process, and a
                    // client (or HAProxy, with retry-on 503) may try again later.
                    ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result(e.getMessage() + "\n");
                }
            });
            // The wrong way, on purpose: each process counts only what it served itself.
            cfg.routes.post("/visits/in-memory", ctx -> ctx.result(
                    "visits: " + inMemoryVisits.incrementAndGet() + " (this process's memory, " + who + ")\n"));
            cfg.jetty.modifyServer(server -> {
                server.setStopAtShutdown(true);
                server.setStopTimeout(STOP_TIMEOUT_MS);
                server.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStopping(LifeCycle event) {
                        draining.set(true);
                    }

                    @Override
                    public void lifeCycleStopped(LifeCycle event) {
                        visits.close();
                        LOG.info("Worker PID: {} on host {} stopped after serving {} requests", pid, host, served.get());
                    }
                });
            });
        });
    }

    /** The release stamped into this jar by {@code lab deploy}, or {@value #UNSTAMPED}. */
    static String release() {
        try (InputStream in = StatelessApi.class.getResourceAsStream(RELEASE_RESOURCE)) {
            if (in == null) {
                return UNSTAMPED;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("release", UNSTAMPED);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RELEASE_RESOURCE + " from the jar", e);
        }
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
        String host = env.getOrDefault("LAB_HOST", "localhost");
        String release = release();
        VisitCounter visits = new VisitCounter(env.getOrDefault("REDIS_ADDRESS", "127.0.0.1:6379"));
        create(host, release, visits).start(port);
        LOG.info("Worker created, PID: {} PORT: {} host {} release {}", ProcessHandle.current().pid(), port, host, release);
    }
}
