package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.plumbing.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line, without starting a cluster: what a learner sees when a flag is wrong. */
class ForkServerTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--workers       | 0        | --workers must be between 1 and 64, got 0",
        "--workers       | many     | '--workers': 'many' is not an int",
        "--port          | 70000    | --port must be between 0 and 65535",
        "--policy        | fastest  | unknown policy 'fastest'; expected one of random, round-robin, least-pending",
        "--timeout       | soon     | 'soon' is not a time such as 500ms, 5s or 1m",
        "--timeout       | 0s       | --timeout must be more than 0",
        "--max-in-flight | 0        | --max-in-flight must be at least 1",
        "--max-body      | 99999999 | --max-body must be between 0 and 4194304 bytes",
    })
    void aBadFlagExits2WithOneLineThatNamesTheProblem(String flag, String value, String problem) {
        Run run = run(flag, value);

        assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(run.stderr.lines()).hasSize(2);
        assertThat(run.stderr.lines().findFirst().orElseThrow()).startsWith("fork-server: ").contains(problem);
        assertThat(run.stderr).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aPortInUseExits3BeforeStartingAnyChild() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));

            Run run = run("--port", Integer.toString(taken.getLocalPort()), "--workers", "1");

            assertThat(run.exitCode).isEqualTo(ExitCode.PORT_UNAVAILABLE);
            assertThat(ProcessHandle.current().children()).isEmpty();
        }
    }

    @Test
    void helpExits0AndListsThePolicies() {
        Run run = run("--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.stdout).contains("--policy").contains("least-pending");
    }

    record Run(int exitCode, String stdout, String stderr) {
    }

    private static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int exitCode = ForkServer.run(args);
            return new Run(exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
