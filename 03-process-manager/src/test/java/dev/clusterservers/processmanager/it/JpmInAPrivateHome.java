package dev.clusterservers.processmanager.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every jpm integration test starts from: its own jpm home in a temporary folder, so
 * no test meets another's daemon, and a free port for the apps; afterwards {@code jpm kill}
 * and a SIGKILL for anything left ({@link JpmHarness#close()}), even when the test failed.
 */
abstract class JpmInAPrivateHome {
    @TempDir
    Path dir;
    JpmHarness jpm;
    int port;

    @BeforeEach
    void aPrivateHomeAndAFreePort() throws Exception {
        jpm = new JpmHarness(dir);
        port = JpmHarness.freePort();
    }

    @AfterEach
    void stopEverything() {
        jpm.close();
    }
}
