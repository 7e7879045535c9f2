package dev.clusterservers.beyondonemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clusterservers.beyondonemachine.lab.Network;
import dev.clusterservers.beyondonemachine.lab.Shell;
import dev.clusterservers.beyondonemachine.lab.Tools;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A lab whose driver was SIGKILLed half-way through {@code up}: the next {@code up} sweeps it first. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrashedLabIT {
    private static final Random RANDOM = new Random();

    @Test
    void anUpAfterTheDriverWasKilledHalfWaySweepsWhatItLeftAndBuildsAFreshLab() throws Exception {
        assumeTrue(Tools.isRoot(), "the lab makes network namespaces: run as root (CI does)");
        assumeTrue(Shell.onPath("haproxy") && Shell.onPath("redis-server"), "needs haproxy and redis-server");
        String name = "c" + (1000 + RANDOM.nextInt(8999));
        String subnet = "10.76." + (100 + RANDOM.nextInt(150));
        Path home = Files.createTempDirectory("lab-crashed");
        LabCommand lab = new LabCommand(home);
        String port = Integer.toString(freePort());
        try {
            Process crashed = lab.start("up", "--hosts", "1", "--instances", "1", "--name", name, "--subnet", subnet, "--port", port);
            // Killed once its network exists, while jpm is starting: namespaces, links and processes are left.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Network.pids(name + "-h1").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            crashed.descendants().forEach(ProcessHandle::destroyForcibly);
            crashed.destroyForcibly().waitFor();
            assertThat(Network.namespaces(name + "-")).as("what the crash left").isNotEmpty();

            Shell.Result up = lab.run("up", "--hosts", "1", "--instances", "1", "--name", name, "--subnet", subnet, "--port", port);
            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(up.output()).contains("swept what a previous lab left: ", "namespace " + name + "-h1", "every host passes");

            Shell.Result down = lab.run("down");
            assertThat(down.exitCode()).isZero();
            assertThat(Network.namespaces(name + "-")).isEmpty();
            assertThat(Network.links(name + "-")).isEmpty();
        } finally {
            Network.sweep(name + "-");
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(home.toString()))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
