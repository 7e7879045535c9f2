package dev.clusterservers.shareports.visits;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Counts in one Redis that every worker shares: correct with any number of workers,
 * because the count no longer lives in any worker's heap.
 *
 * <p>{@code INCR} is atomic in Redis itself: a single-threaded server runs one command at a
 * time, so two workers counting the same session at once get two different answers and
 * lose no visit. A read-then-write ({@code GET}, add one, {@code SET}) from two workers
 * would lose one.
 *
 * <p>Redis may go away. Then a request must fail fast (short timeouts, so no worker thread
 * waits long on a dead server), answer 503, and the next request after Redis is back must
 * work without restarting anything: the pool opens new connections on demand, and checks
 * each one before lending it, so a connection left over from before a Redis restart is
 * dropped instead of failing a request.
 */
public final class RedisVisitStore implements VisitStore {
    private static final Logger LOG = LoggerFactory.getLogger("worker");

    /** How long to wait for a TCP connection to Redis; on loopback or a LAN, far more than enough. */
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    /** How long to wait for Redis to answer one command. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    /**
     * Connections one worker keeps to Redis. A worker runs at most as many {@code /visits} at
     * once as it has request threads, and Redis runs one command at a time anyway: 32 lets a
     * worker keep Redis busy without a connection per thread (4 workers: 128 connections, far
     * below Redis's default limit of 10,000 clients).
     */
    static final int POOL_SIZE = 32;
    /**
     * How long a request waits for a free pooled connection when all are in use: longer than
     * one command may take ({@link #READ_TIMEOUT}), so a request waits out at least one slow
     * command before it is told the store is busy.
     */
    static final Duration POOL_WAIT = Duration.ofSeconds(2);
    /** Every session's counter is one Redis key: {@code visits:<session id>}. */
    static final String KEY_PREFIX = "visits:";

    private final String url;
    private final RedisClient redis;
    /** Whether the last command reached Redis: the log says when that changes, not on every request. */
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    /** Whether the last visit found every pooled connection in use: logged on change too. */
    private final AtomicBoolean busy = new AtomicBoolean(false);
    private final int poolSize;
    private final Duration poolWait;
    private final long pid = ProcessHandle.current().pid();

    /** Connects lazily: nothing is opened until the first visit, so a worker starts even while Redis is down. */
    public RedisVisitStore(String host, int port) {
        this(host, port, POOL_SIZE, POOL_WAIT);
    }

    /** With a pool of {@code poolSize} connections, each waited for at most {@code poolWait}. */
    RedisVisitStore(String host, int port, int poolSize, Duration poolWait) {
        this.url = new StoreChoice.Redis(host, port).flag();
        this.poolSize = poolSize;
        this.poolWait = poolWait;
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMaxWait(poolWait);
        pool.setTestOnBorrow(true);
        this.redis = RedisClient.builder()
                .hostAndPort(host, port)
                .clientConfig(DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis((int) CONNECT_TIMEOUT.toMillis())
                        .socketTimeoutMillis((int) READ_TIMEOUT.toMillis())
                        .build())
                .poolConfig(pool)
                .build();
    }

    @Override
    public long countVisit(String session) {
        long count;
        try {
            count = redis.incr(KEY_PREFIX + session);
        } catch (JedisDataException e) {
            // Redis answered, with an error: a bug in what we asked, not an outage.
            throw e;
        } catch (JedisException e) {
            if (isPoolExhausted(e)) {
                // Redis is fine; this worker has more visits in flight than connections. Not "cannot reach".
                if (busy.compareAndSet(false, true)) {
                    LOG.warn("Worker PID: {}: all {} connections to Redis at {} are in use; /visits answers 503 "
                            + "while none comes free in {} ms", pid, poolSize, url, poolWait.toMillis());
                }
                throw new StoreUnavailableException("The visit counter is busy: all " + poolSize
                        + " connections of worker PID " + pid + " to Redis at " + url + " are in use and none came free in "
                        + poolWait.toMillis() + " ms. Redis itself is up; try again in a moment.", e);
            }
            // No retry: an INCR whose answer was lost may have counted, and a retry would count twice.
            if (reachable.compareAndSet(true, false)) {
                LOG.warn("Worker PID: {} cannot reach Redis at {} ({}); /visits answers 503 until it is back",
                        pid, url, rootCause(e));
            }
            throw new StoreUnavailableException("The visit counter is unavailable: cannot reach Redis at " + url
                    + " (" + rootCause(e) + "). The rest of the app still serves; try again when Redis is back.", e);
        }
        if (reachable.compareAndSet(false, true)) {
            LOG.info("Worker PID: {} reaches Redis at {} again", pid, url);
        }
        if (busy.compareAndSet(true, false)) {
            LOG.info("Worker PID: {} has free connections to Redis at {} again", pid, url);
        }
        return count;
    }

    /**
     * The pool had no connection to lend in time: commons-pool's {@link NoSuchElementException}
     * ("Timeout waiting for idle object"), which Jedis wraps. A connection that could not be
     * opened is a {@link JedisConnectionException} instead, somewhere in the chain.
     */
    static boolean isPoolExhausted(Throwable e) {
        boolean timedOutWaiting = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JedisConnectionException) {
                return false;
            }
            if (t instanceof NoSuchElementException && String.valueOf(t.getMessage()).startsWith("Timeout waiting")) {
                timedOutWaiting = true;
            }
        }
        return timedOutWaiting;
    }

    @Override
    public String describe() {
        return url;
    }

    @Override
    public void close() {
        redis.close();
    }

    /** The innermost message, e.g. "Connection refused", which says more than Jedis's wrappers. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }
}
