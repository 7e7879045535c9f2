package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's *Observe* section, run as written against a real master: so the README cannot drift from the code. */
class ObserveSectionIT {
    /** The README's command, with the master's PID in place of 12990. */
    static final String PS = "ps -o pid=,args= --ppid %d | sed -E 's/ -cp [^ ]+ / … /'";

    @Test
    @Timeout(60)
    void theStartLinesAndPsShowWhatTheReadmeShows() throws Exception {
        try (Cluster cluster = Cluster.start(2)) {
            long master = cluster.master().pid();
            assertThat(cluster.output()).anyMatch(line -> line.matches(".*INFO master - Starting master, PID: " + master
                    + " \\(workers=2 policy=random port=0 timeout=5000ms max-in-flight=128 max-body=1048576"
                    + " drain-timeout=10s fault-injection=off\\)"));
            assertThat(cluster.output()).anyMatch(line -> line.matches(".*INFO master - Master JVM: max heap \\d+ MB, GC .+;"
                    + " each child: -XX:\\+UseSerialGC -Xms32m -Xmx256m"));

            List<String> ps = run(String.format(PS, master));

            assertThat(ps).hasSize(2).allMatch(line -> line.length() < 300, "fits a terminal line or two")
                    .allMatch(line -> line.matches(" *\\d+ .*java -XX:\\+UseSerialGC -Xms32m -Xmx256m .* … "
                            + "dev\\.clusterservers\\.forkserver\\.ForkServer --role CHILD --child-id \\d --max-in-flight 128"));
        }
    }

    private static List<String> run(String shell) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", shell).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.lines().toList();
    }
}
