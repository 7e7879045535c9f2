package dev.clusterservers.shareports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.shareports.sharing.Strategy;
import dev.clusterservers.shareports.visits.StoreChoice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OptionsTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private PrintStream originalOut;

    @BeforeEach
    void captureOutput() {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    private static Options parse(String... args) {
        Options options = new Options();
        new CommandLine(options).parseArgs(args);
        options.validate();
        return options;
    }

    @Test
    void theDefaultsAreTheTutorials() {
        Options options = parse();
        assertThat(options.workers()).isEqualTo(4);
        assertThat(options.port()).isEqualTo(8000);
        assertThat(options.strategy()).isEqualTo(Strategy.ROUND_ROBIN);
        assertThat(options.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.role()).isEqualTo(Options.Role.MASTER);
        assertThat(options.store()).isEqualTo(new StoreChoice.Memory());
    }

    @Test
    void theStoreIsChosenByItsFlagAndPrintedAtStart() {
        Options options = parse("--store", "redis://localhost:6380");
        assertThat(options.store()).isEqualTo(new StoreChoice.Redis("localhost", 6380));
        assertThat(options.describe()).endsWith(" store=redis://localhost:6380");
    }

    @Test
    void aMalformedRedisUrlIsAUsageErrorThatNamesTheFlag() {
        assertThat(SharePorts.run("--store", "redis://localhost:port")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("share-ports: Invalid value for option '--store': 'redis://localhost:port' is not a store: "
                        + "it names no valid host and port; expected memory or redis://host:port, e.g. redis://localhost:6379\n")
                .contains("Try 'share-ports --help'")
                .doesNotContain("Exception");
    }

    @Test
    void maxWorkersMeansOnePerCore() {
        assertThat(parse("--workers", "max").workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void everyStrategyIsChosenByItsFlag() {
        assertThat(parse("--strategy", "round-robin").strategy()).isEqualTo(Strategy.ROUND_ROBIN);
        assertThat(parse("--strategy", "shared").strategy()).isEqualTo(Strategy.SHARED);
        assertThat(parse("--strategy", "reuseport").strategy()).isEqualTo(Strategy.REUSEPORT);
    }

    @Test
    void aBadWorkerCountIsAUsageErrorThatNamesTheFlag() {
        assertThat(SharePorts.run("--workers", "lots")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("share-ports: Invalid value for option '--workers': 'lots' is not a number or 'max'")
                .contains("Try 'share-ports --help'")
                .doesNotContain("Exception");
    }

    @Test
    void zeroWorkersIsAUsageError() {
        assertThat(SharePorts.run("--workers", "0")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("must be between 1 and 64, got 0");
    }

    @Test
    void anUnknownStrategyIsAUsageErrorThatListsTheChoices() {
        assertThat(SharePorts.run("--strategy", "fastest")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown strategy 'fastest'; expected one of round-robin, shared, reuseport");
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        assertThat(SharePorts.run("--port", "70000")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--port must be between 0 and 65535, got 70000");
    }

    @Test
    void anUnknownFlagIsAUsageErrorThatSuggestsTheNearestOne() {
        assertThat(SharePorts.run("--worker", "2")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("share-ports: Unknown options: '--worker', '2'")
                .contains("Possible solutions: --workers");
    }

    @Test
    void helpPrintsEveryFlagAndExitsZero() {
        assertThat(SharePorts.run("--help")).isEqualTo(ExitCode.OK);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--workers", "--port", "--strategy", "--drain-timeout", "--store", "round-robin", "reuseport", "redis://host:port")
                .doesNotContain("--role", "--control");
    }
}
