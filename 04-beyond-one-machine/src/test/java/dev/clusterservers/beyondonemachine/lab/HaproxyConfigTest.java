package dev.clusterservers.beyondonemachine.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HaproxyConfigTest {
    private final LabPlan plan = new LabPlan("jcs", "10.77.0", 3, 2, 8000, 8080);

    @Test
    void everyHostIsAServerOnItsOwnAddressWithAHealthCheck() {
        String cfg = new HaproxyConfig(plan, Path.of("/lab/haproxy.sock"), true).render();
        assertThat(cfg).contains("    server h1 10.77.0.11:8080\n", "    server h2 10.77.0.12:8080\n", "    server h3 10.77.0.13:8080\n")
                .contains("option httpchk GET /health", "default-server check inter 500ms fall 2 rise 2")
                // A busy host answers its check late, not never: only 2 s without an answer counts as a failure.
                .contains("timeout check 2s");
    }

    @Test
    void haproxyListensOnLoopbackOnlyAndItsRuntimeApiOnlyForItsOwner() {
        String cfg = new HaproxyConfig(plan, Path.of("/lab/haproxy.sock"), true).render();
        assertThat(cfg).contains("bind 127.0.0.1:8000\n", "stats socket /lab/haproxy.sock mode 600 level admin\n");
    }

    @Test
    void retriesAreForIdempotentRequestsOnly() {
        String cfg = new HaproxyConfig(plan, Path.of("/lab/haproxy.sock"), true).render();
        assertThat(cfg).contains("retry-on conn-failure empty-response response-timeout", "option redispatch 1",
                "http-request disable-l7-retry unless METH_GET || METH_HEAD");
    }

    @Test
    void withoutRetriesNothingIsRetriedOrRedispatched() {
        String cfg = new HaproxyConfig(plan, Path.of("/lab/haproxy.sock"), false).render();
        assertThat(cfg).contains("retry-on none").doesNotContain("redispatch", "disable-l7-retry");
    }
}
