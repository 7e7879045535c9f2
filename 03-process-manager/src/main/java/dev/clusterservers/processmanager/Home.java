package dev.clusterservers.processmanager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * jpm's home directory ({@code $JPM_HOME}, else {@code $HOME/.jpm}): the daemon's sockets, its log,
 * the apps' logs and the dump of saved apps. Owner-only: whoever can reach the socket can
 * run any command as the owner, so the directory is 0700 and the sockets 0600.
 */
public record Home(Path dir) {
    public static final String ENV = "JPM_HOME";
    public static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    public Home {
        dir = dir.toAbsolutePath().normalize();
    }

    /**
     * {@code $JPM_HOME} if set, else {@code $HOME/.jpm}, else {@code .jpm} in the account's home
     * from the password database ({@code user.home}), as PM2 picks {@code PM2_HOME} or
     * {@code $HOME/.pm2}. {@code $HOME} counts because two people sharing one account
     * separate themselves by setting it, and would otherwise share (and kill) one daemon.
     */
    public static Home fromEnvironment(Map<String, String> env) {
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isBlank()) {
            return new Home(Path.of(explicit));
        }
        String home = env.get("HOME");
        return new Home(Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".jpm"));
    }

    /** Creates the directory tree owner-only, and tightens it if someone loosened it. */
    public Home ensureExists() throws IOException {
        for (Path d : new Path[] {dir, logs(), agentDir()}) {
            if (!Files.isDirectory(d)) {
                Files.createDirectories(d, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            }
            Files.setPosixFilePermissions(d, OWNER_ONLY_DIR);
        }
        return this;
    }

    /** Where the CLI talks to the daemon. */
    public Path controlSocket() {
        return dir.resolve("jpm.sock");
    }

    /** Where each instance's agent keeps its link to the daemon. */
    public Path agentSocket() {
        return dir.resolve("agent.sock");
    }

    /** Held locked by the running daemon, so that two CLIs racing to start one make only one. */
    public Path daemonLock() {
        return dir.resolve("daemon.lock");
    }

    public Path daemonLog() {
        return dir.resolve("daemon.log");
    }

    public Path daemonPidFile() {
        return dir.resolve("daemon.pid");
    }

    public Path dump() {
        return dir.resolve("dump.json");
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    public Path agentDir() {
        return dir.resolve("agent");
    }

    public Path outLog(String app, int id) {
        return logs().resolve(app + "-" + id + "-out.log");
    }

    public Path errLog(String app, int id) {
        return logs().resolve(app + "-" + id + "-err.log");
    }
}
