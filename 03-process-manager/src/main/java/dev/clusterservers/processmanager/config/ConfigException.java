package dev.clusterservers.processmanager.config;

/** An ecosystem file or command line that cannot be run; the message names the file and the key. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
