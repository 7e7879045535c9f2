package dev.clusterservers.shareports;

import dev.clusterservers.plumbing.CloseWhenDraining;
import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.plumbing.JettyWithoutJmx;
import dev.clusterservers.plumbing.ServeOnSelectorThread;
import dev.clusterservers.plumbing.Signals;
import dev.clusterservers.shareports.sharing.HandoffConnector;
import dev.clusterservers.shareports.sharing.WorkerConnectors;
import dev.clusterservers.shareports.visits.StoreUnavailableException;
import dev.clusterservers.shareports.visits.VisitStore;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.servlet.DefaultTasks;
import java.net.BindException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: an ordinary Javalin app that gets its connections the way its strategy says.
 * Nothing in the routes knows it runs in a cluster; that is the point. The one route with
 * state, {@code /visits}, keeps it in a {@link VisitStore}, and which store decides whether
 * the cluster counts right.
 */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger("worker");
    /** How often a worker checks that its master is still alive. */
    static final Duration PARENT_CHECK_INTERVAL = Duration.ofMillis(250);
    /** The longest {@code /slow?ms=} will sleep. */
    static final long MAX_SLOW_MS = 60_000;
    /** The cookie that carries a visitor's session id; the id is all a worker learns about the session. */
    static final String SESSION_COOKIE = "session";
    /** How soon a client refused with 503 may try {@code /visits} again, in seconds. */
    static final String RETRY_AFTER_SECONDS = "1";
    /**
     * Jetty's request threads. A request here never blocks on I/O except {@code /slow}, so a
     * few threads keep a worker's share of the cores busy; Javalin's default pool grows far
     * larger, each thread a stack and a scheduler entry competing with the sibling workers.
     */
    static final int MAX_THREADS = 8;
    static final int MIN_THREADS = 2;
    /** The buffer Javalin copies each answer through, allocated per request; see {@link #lean}. */
    static final int RESPONSE_COPY_BUFFER = 1024;

    /** What {@code GET /stats} answers: who this worker is and how many requests it served. */
    public record Stats(long pid, long requests) { }

    private final Options options;
    private final long pid = ProcessHandle.current().pid();
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    Worker(Options options) {
        this.options = options;
    }

    /**
     * The app's routes, built by a method tests can call without a cluster. Every answer
     * carries {@code X-Worker-Pid}, so a learner can see which worker served it.
     */
    public static Javalin createApp(VisitStore visits, Consumer<JavalinConfig> serverSetup) {
        long pid = ProcessHandle.current().pid();
        LongAdder served = new LongAdder();
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            lean(cfg);
            cfg.routes.before(ctx -> {
                served.increment();
                ctx.header("X-Worker-Pid", Long.toString(pid));
            });
            cfg.routes.get("/", ctx -> ctx.result("Hello from worker PID:" + pid + "\n"));
            cfg.routes.get("/stats", ctx -> ctx.json(new Stats(pid, served.sum())));
            cfg.routes.get("/slow", ctx -> {
                long ms = ctx.queryParamAsClass("ms", Long.class)
                        .check(v -> v >= 0 && v <= MAX_SLOW_MS, "must be between 0 and " + MAX_SLOW_MS)
                        .getOrDefault(1_000L);
                Thread.sleep(ms);
                ctx.result("Slept " + ms + " ms in worker PID:" + pid + "\n");
            });
            // State: the session id travels in a cookie, so every worker sees the same id; the
            // count lives in the store, so only a store all workers share counts right.
            cfg.routes.get("/visits", ctx -> {
                long count = visits.countVisit(session(ctx));
                ctx.result("Visit " + count + " of this session, counted by worker PID:" + pid
                        + " in " + visits.describe() + "\n");
            });
            // The store is down: this route says so, and every other route goes on serving.
            cfg.routes.exception(StoreUnavailableException.class, (e, ctx) -> ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .result(e.getMessage() + "\n"));
            serverSetup.accept(cfg);
        });
    }

    /**
     * A worker pays, per request, for every step of Javalin's request life cycle and every
     * Jetty handler around it, used or not, and for every thread it wakes. So:
     * <ul>
     * <li>The routes that answer from memory ({@code /} and {@code /stats}) are answered on the
     *     thread that read the request, as a Node worker answers; the others ({@code /slow},
     *     {@code /visits}, which may wait for Redis) go to the pool
     *     ({@link ServeOnSelectorThread}). Handing every request to a pool thread wakes a
     *     thread and switches context; the README's <em>What we measured</em> says how much
     *     of a worker's CPU that was.
     * <li>Javalin copies each answer into the response through a buffer it allocates per
     *     request, 32 KiB by default: nearly all the garbage a request made, so the young
     *     generation of a 64 MiB heap filled many times a second. These answers are a few dozen
     *     bytes; 1 KiB copies them in one go, and a longer one in several.
     * <li>The life cycle keeps just the {@code before} and endpoint tasks (no after, error or
     *     matched-before/after passes); the exception mapper still runs, it is not a task.
     *     Javalin's servlet context keeps its session handler (Javalin 7 builds the context
     *     with sessions and offers no way to leave them out); the statistics handler goes, see
     *     {@link #run()}.
     * </ul>
     * Jetty selectors and acceptors follow the CPU count the JVM reports, which the master
     * sets to this worker's share ({@code -XX:ActiveProcessorCount}).
     */
    static void lean(JavalinConfig cfg) {
        JettyWithoutJmx.beforeJettyLoads();
        cfg.http.responseBufferSize = RESPONSE_COPY_BUFFER;
        cfg.requestLifeCycle(DefaultTasks.INSTANCE.getBEFORE(), DefaultTasks.INSTANCE.getHTTP());
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        pool.setName("worker-http");
        cfg.jetty.threadPool = pool;
        cfg.jetty.modifyServer(server -> ServeOnSelectorThread.install(server, ServeOnSelectorThread.bodylessGetOf("/", "/stats")));
    }

    /** The visitor's session id from its cookie; a first visit (or a cookie that is no id of ours) gets a new one. */
    static String session(Context ctx) {
        String id = ctx.cookie(SESSION_COOKIE);
        if (id != null && isSessionId(id)) {
            return id;
        }
        id = UUID.randomUUID().toString();
        ctx.cookie(SESSION_COOKIE, id);
        return id;
    }

    private static boolean isSessionId(String value) {
        try {
            return UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    int run() {
        // Each worker opens its own store: its own map in memory, or its own connections to the shared Redis.
        VisitStore visits = options.store().open();
        Javalin app = createApp(visits, cfg -> {
            cfg.jetty.addConnector(this::connector);
            cfg.jetty.modifyServer(server -> {
                // Graceful stop: stop taking connections, let requests in flight finish, for at most this long.
                server.setStopTimeout(options.drainTimeout().toMillis());
                // Before Jetty's own graceful stop, which would answer 503 to a request on a
                // kept-alive connection: answer it, with Connection: close, so its client
                // reconnects; close connections that stay quiet; stop once none is left. In
                // place of Javalin's StatisticsHandler: the drain counts what a stop needs.
                CloseWhenDraining.install(server, options.drainTimeout());
            });
        });
        try {
            app.start();
        } catch (WorkerConnectors.SetupException e) {
            LOG.error("Worker PID: {} cannot start: {}", pid, e.getMessage());
            visits.close();
            return e.exitCode();
        } catch (RuntimeException e) {
            visits.close();
            if (hasCause(e, BindException.class)) {
                LOG.error("Worker PID: {} cannot bind port {}: it is in use", pid, options.port());
                return ExitCode.PORT_UNAVAILABLE;
            }
            throw e;
        }
        LOG.info("Worker created, PID: {} PORT: {}", pid, options.port());

        // The master decides when workers stop: SIGTERM is its request. Ctrl-C reaches the
        // whole process group, so a worker leaves SIGINT to the master and waits for SIGTERM.
        Signals.onTerminate(signal -> {
            if (signal.equals("TERM")) {
                stopRequested.countDown();
            }
        });
        watchParent();
        awaitStopRequest();

        LOG.info("Worker PID: {} stopping: finishing requests in flight", pid);
        app.stop();
        visits.close();
        LOG.info("Worker PID: {} stopped", pid);
        return ExitCode.OK;
    }

    private Connector connector(Server server, HttpConfiguration http) {
        return switch (options.strategy()) {
            case ROUND_ROBIN -> {
                HandoffConnector connector = WorkerConnectors.roundRobin(server, http, options.control(), options.workerId());
                connector.onMasterGone(stopRequested::countDown);
                yield connector;
            }
            case SHARED -> WorkerConnectors.shared(server, http);
            case REUSEPORT -> WorkerConnectors.reusePort(server, http, null, options.port());
        };
    }

    /**
     * An orphan must not keep serving: when the master dies (even by SIGKILL, which runs no
     * code in the master), this worker is re-parented and stops itself. Polling our own
     * parent pid is cheap and bounded; {@code ProcessHandle.onExit()} of a process that is not
     * our child polls at intervals growing to 5 s.
     */
    private void watchParent() {
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread watcher = new Thread(() -> {
            while (stopRequested.getCount() > 0) {
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (now != parent) {
                    LOG.warn("Worker PID: {} lost its master (PID {}); stopping", pid, parent);
                    stopRequested.countDown();
                    return;
                }
                sleep(PARENT_CHECK_INTERVAL);
            }
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void awaitStopRequest() {
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
