package dev.clusterservers.processmanager.cli;

import java.util.concurrent.Callable;

/**
 * A jpm subcommand that talks to the daemon. Picocli builds it through {@code Cli}'s
 * factory, which hands it the context (home directory, output writers) instead of
 * globals, so tests can run the CLI in-process against a private home.
 */
abstract class ClientCommand implements Callable<Integer> {
    Context context;
}
