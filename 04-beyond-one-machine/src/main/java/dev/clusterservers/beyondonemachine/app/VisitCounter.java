package dev.clusterservers.beyondonemachine.app;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One visit counter for every process on every host: a number in one Redis, added to with
 * {@code INCR}, which Redis runs one at a time, so N visits from anywhere make N.
 *
 * <p>Redis is another host here, behind a network that can fail. So every wait is bounded
 * (connect, read, and the wait for a pooled connection), and a visit that cannot reach Redis
 * answers {@link Unavailable} within about a second, never a hang or a 500. No retry: an
 * {@code INCR} whose answer was lost may have counted, and a retry would count twice.
 */
public final class VisitCounter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("api");

    /** The key every host adds to. */
    static final String KEY = "lab:visits";
    /** Inside one lab network a connect takes well under a millisecond; a lost host never answers. */
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    static final Duration READ_TIMEOUT = Duration.ofMillis(500);
    /** At most one connection per request thread; waiting longer than a command would take helps no one. */
    static final int POOL_SIZE = StatelessApi.MAX_THREADS;
    static final Duration POOL_WAIT = Duration.ofMillis(500);

    private final String address;
    private final RedisClient redis;
    /** Whether the last visit reached Redis: the log says when that changes, not on every request. */
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    /** {@code address} is {@code host:port}. Connects lazily, so the app starts while Redis is down. */
    public VisitCounter(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("REDIS_ADDRESS must be host:port, not '" + address + "'");
        }
        this.address = address;
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMaxWait(POOL_WAIT);
        pool.setTestOnBorrow(true);
        this.redis = RedisClient.builder()
                .hostAndPort(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))
                .clientConfig(DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis((int) CONNECT_TIMEOUT.toMillis())
                        .socketTimeoutMillis((int) READ_TIMEOUT.toMillis())
                        .build())
                .poolConfig(pool)
                .build();
    }

    /** Adds one visit and returns the count, or throws {@link Unavailable} within about a second. */
    public long increment() throws Unavailable {
        long count;
        try {
            count = redis.incr(KEY);
        } catch (JedisDataException e) {
            throw e; // Redis answered with an error: a bug in what we asked, not an outage.
        } catch (JedisException e) {
            if (reachable.compareAndSet(true, false)) {
                LOG.warn("Worker PID: {} cannot reach Redis at {} ({}); POST /visits answers 503 until it is back",
                        ProcessHandle.current().pid(), address, rootCause(e));
            }
            throw new Unavailable("cannot reach Redis at " + address + " (" + rootCause(e)
                    + "); the visit was not counted, try again when Redis is back");
        }
        if (reachable.compareAndSet(false, true)) {
            LOG.info("Worker PID: {} reaches Redis at {} again", ProcessHandle.current().pid(), address);
        }
        return count;
    }

    @Override
    public void close() {
        redis.close();
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    /** Redis could not be reached in time: the app answers 503 with this message. */
    public static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }
}
