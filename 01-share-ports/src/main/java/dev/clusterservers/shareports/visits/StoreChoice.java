package dev.clusterservers.shareports.visits;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * What {@code --store} names: {@code memory}, or {@code redis://host:port}. Parsed once, in
 * the master, so a malformed URL is a usage error before any worker starts; each worker
 * gets the same flag on its command line and {@link #open()}s its own store.
 */
public sealed interface StoreChoice {
    /** Redis's own port, used when the URL names none. */
    int DEFAULT_REDIS_PORT = 6379;
    String REDIS_SCHEME = "redis";
    String EXPECTED = "expected memory or redis://host:port, e.g. redis://localhost:6379";

    /** The flag's value that means this choice, to hand to a worker. */
    String flag();

    /** A new store of this kind, for one worker. */
    VisitStore open();

    /** Each worker counts in its own heap. */
    record Memory() implements StoreChoice {
        @Override
        public String flag() {
            return MemoryVisitStore.NAME;
        }

        @Override
        public VisitStore open() {
            return new MemoryVisitStore();
        }
    }

    /** Every worker counts in the Redis at {@code host:port}. */
    record Redis(String host, int port) implements StoreChoice {
        @Override
        public String flag() {
            // An IPv6 address is written in brackets in a URL, so its colons are not taken for the port's.
            String urlHost = host.contains(":") ? "[" + host + "]" : host;
            return REDIS_SCHEME + "://" + urlHost + ":" + port;
        }

        @Override
        public VisitStore open() {
            return new RedisVisitStore(host, port);
        }
    }

    /**
     * Parses the flag's value.
     *
     * @throws IllegalArgumentException with a message that says what is wrong and what is expected
     */
    static StoreChoice parse(String value) {
        if (MemoryVisitStore.NAME.equals(value)) {
            return new Memory();
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw malformed(value, "it is not a URL");
        }
        if (!REDIS_SCHEME.equalsIgnoreCase(uri.getScheme())) {
            throw malformed(value, uri.getScheme() == null ? "it is not a URL" : "the scheme must be redis");
        }
        if (uri.getHost() == null) {
            throw malformed(value, "it names no valid host and port");
        }
        if (uri.getRawUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw malformed(value, "only a host and a port are supported");
        }
        int port = uri.getPort() == -1 ? DEFAULT_REDIS_PORT : uri.getPort();
        if (port < 1 || port > 65_535) {
            throw malformed(value, "the port must be between 1 and 65535");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new Redis(host, port);
    }

    private static IllegalArgumentException malformed(String value, String why) {
        return new IllegalArgumentException("'" + value + "' is not a store: " + why + "; " + EXPECTED);
    }
}
