package dev.clusterservers.processmanager.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.protocol.Request;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DaemonClientTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void aDaemonThatNeverAnswersIsNamedAfterTheDeadlineInsteadOfWaitedForForever() throws Exception {
        Home home = new Home(dir).ensureExists();
        try (ServerSocketChannel stuck = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stuck.bind(UnixDomainSocketAddress.of(home.controlSocket()));
            Thread acceptor = new Thread(() -> {
                try (SocketChannel held = stuck.accept()) {
                    Thread.sleep(60_000);
                } catch (Exception e) {
                    // The test is over.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            DaemonClient client = new DaemonClient(home, null, Duration.ofSeconds(1));

            assertThatThrownBy(() -> client.send(new Request.ListAll(), false))
                    .hasMessageContaining("no answer from the jpm daemon")
                    .hasMessageContaining("to 'list' within 1 s")
                    .hasMessageContaining(home.daemonLog().toString());
        }
    }
}
