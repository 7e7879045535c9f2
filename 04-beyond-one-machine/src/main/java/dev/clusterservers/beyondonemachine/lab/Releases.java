package dev.clusterservers.beyondonemachine.lab;

import dev.clusterservers.beyondonemachine.app.StatelessApi;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A release is an artifact, not a setting: {@code lab deploy v2} makes {@code releases/v2.jar},
 * the app's jar with {@code release=v2} written into it, and ships that file to each host. The
 * app reads its release from its own jar, so every answer says which artifact gave it.
 */
public final class Releases {
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");

    private Releases() {
    }

    /** The jar for {@code version}, made once from the app's jar. */
    public static Path stamp(LabHome home, Path appJar, String version) throws IOException {
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("a release's version is 1 to 32 letters, digits, '.', '_' or '-', "
                    + "such as v2 or 1.4.0: '" + version + "'");
        }
        Files.createDirectories(home.releases());
        Path release = home.releases().resolve(version + ".jar");
        if (Files.isRegularFile(release)) {
            return release;
        }
        Path partial = home.releases().resolve(version + ".jar.partial");
        Files.copy(appJar, partial, StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + partial.toUri()), Map.of())) {
            Files.writeString(jar.getPath(StatelessApi.RELEASE_RESOURCE), "release=" + version + "\n", StandardCharsets.UTF_8);
        }
        Files.move(partial, release, StandardCopyOption.ATOMIC_MOVE);
        return release;
    }
}
