package dev.clusterservers.processmanager.ports;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a process listens on a TCP port, read from {@code /proc}: what "ready" means for an
 * app that serves a port. The test must be about that very process: in cluster mode a
 * connection to the port could be answered by a sibling, so "the port answers" proves nothing
 * about the new instance.
 *
 * <p>{@code /proc/net/tcp} and {@code tcp6} list every socket of the network namespace with
 * its state ({@code 0A} = LISTEN), local port and inode; {@code /proc/<pid>/fd} links to
 * {@code socket:[inode]} for each socket the process holds.
 */
public final class ListenProbe {
    private static final String LISTEN = "0A";

    private ListenProbe() {
    }

    public static boolean listens(long pid, int port) {
        Set<String> inodes = listeningInodes(port);
        if (inodes.isEmpty()) {
            return false;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                        return true;
                    }
                } catch (IOException e) {
                    // The descriptor closed while we looked.
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The inodes of every socket listening on {@code port}, whoever holds it. */
    public static Set<String> listeningInodes(int port) {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(":%04X", port);
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals(LISTEN)) {
                        inodes.add(f[9]);
                    }
                }
            } catch (IOException e) {
                // No IPv6, or no /proc: nothing listens that we can see.
            }
        }
        return inodes;
    }
}
