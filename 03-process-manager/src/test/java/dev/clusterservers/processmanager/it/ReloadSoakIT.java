package dev.clusterservers.processmanager.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterservers.processmanager.soak.ServedLines;
import dev.clusterservers.processmanager.soak.SoakLoad;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short version of the reload soak ({@code soak/run} runs the long one): reloads back to
 * back under kept-alive, new-connection and slow load, with the daemon-owned listener. Every
 * request must be answered 2xx, and the instances must say they served exactly what the
 * client got: a request an instance handled whose answer never arrived shows as a difference.
 */
@Timeout(300)
class ReloadSoakIT extends JpmInAPrivateHome {
    static final int RELOADS = 10;
    static final int INSTANCES = 2;

    @Test
    void tenReloadsInARowUnderLoadFailNoRequestAndTheInstancesServedExactlyWhatTheClientGot() throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(INSTANCES, port, "") + "]}").toString()).expectOk();
        SoakLoad load = new SoakLoad(new SoakLoad.Settings("127.0.0.1", port, 4, 2, 2, 1_000, 3_000, 5_000, 15_000)).start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> load.count(SoakLoad.Outcome.OK) > 100);

            for (int i = 0; i < RELOADS; i++) {
                jpm.jpm("reload", "api").expectOk();
                Thread.sleep(1_000);
            }
        } finally {
            load.close();
        }
        // Deleting stops the last instances gracefully: each logs what it served.
        jpm.jpm("delete", "api").expectOk();

        String stops = jpm.daemonLog().lines().filter(l -> l.contains("exited") || l.contains("SIGKILL"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(load.failed()).as("failed requests: %s\nthe daemon saw:\n%s", load.json(), stops).isZero();
        long served = ServedLines.sum(jpm.home.logs());
        assertThat(served).as("requests the instances say they served").isEqualTo(load.count(SoakLoad.Outcome.OK));
        assertThat(load.okByPid()).as("answered by the first instances and every replacement").hasSizeGreaterThan(RELOADS);
    }
}
