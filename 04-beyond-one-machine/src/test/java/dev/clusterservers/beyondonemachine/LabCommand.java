package dev.clusterservers.beyondonemachine;

import dev.clusterservers.beyondonemachine.lab.Shell;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lab as a learner runs it: the {@code 04-beyond-one-machine/lab} launcher script, in a
 * private {@code LAB_HOME}, each command to its end with a time limit.
 */
final class LabCommand {
    /** The module's folder: failsafe runs the tests there. */
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path SCRIPT = MODULE.resolve("lab");

    private final Path home;

    LabCommand(Path home) {
        this.home = home;
    }

    Shell.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        Shell.Result result = Shell.tryRun(command, Map.of("LAB_HOME", home.toString()), 300);
        System.out.println("$ lab " + String.join(" ", args) + "  (exit " + result.exitCode() + ")\n" + result.output());
        return result;
    }

    /** Starts a command without waiting for it, as a second terminal would. */
    Process start(String... args) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LAB_HOME", home.toString());
        return builder.start();
    }
}
