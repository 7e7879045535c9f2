package dev.clusterservers.plumbing;

import java.util.OptionalInt;
import picocli.CommandLine;

/** How every lesson reads its command line: a bad flag is one clear line, never a usage dump or a stack trace. */
public final class CommandLines {
    private CommandLines() {
    }

    /**
     * Parses {@code args} into {@code options} (a picocli command) and runs {@code validate}.
     * Returns the exit code if the process should end here: after printing {@code --help} or
     * {@code --version}, or after a bad flag. Empty means: go on and run.
     */
    public static OptionalInt parse(Object options, Runnable validate, String... args) {
        CommandLine cli = new CommandLine(options);
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            validate.run();
            if (CommandLine.printHelpIfRequested(parsed)) {
                return OptionalInt.of(ExitCode.OK);
            }
            return OptionalInt.empty();
        } catch (CommandLine.ParameterException e) {
            return OptionalInt.of(usageError(e));
        }
    }

    /** One line that names the problem, the nearest flag if it looks like a typo, one line that says where to look. */
    private static int usageError(CommandLine.ParameterException e) {
        String name = e.getCommandLine().getCommandName();
        System.err.println(name + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, System.err);
        System.err.println("Try '" + name + " --help' for more information.");
        return ExitCode.USAGE;
    }
}
