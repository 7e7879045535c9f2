package dev.clusterservers.processmanager.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The soak's load as a program, so {@code soak/run} can aim the same client at jpm and at PM2:
 * it loads {@code --port} until {@code --stop-file} appears, lets every request in flight
 * finish, and prints its counts as one JSON object.
 *
 * <pre>java -cp target/test-classes dev.clusterservers.processmanager.soak.SoakClient --port 18000 --stop-file /tmp/stop</pre>
 */
public final class SoakClient {
    private SoakClient() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new HashMap<>(Map.of("--host", "127.0.0.1", "--keep-alive", "8",
                "--new-connection", "4", "--slow", "4", "--slow-min-ms", "1000", "--slow-max-ms", "3000",
                "--connect-timeout-ms", "5000", "--read-timeout-ms", "15000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        if (!flags.containsKey("--port") || !flags.containsKey("--stop-file")) {
            System.err.println("usage: SoakClient --port N --stop-file PATH [--keep-alive 8 --new-connection 4 --slow 4]");
            System.exit(64);
        }
        SoakLoad load = new SoakLoad(new SoakLoad.Settings(flags.get("--host"), number(flags, "--port"),
                number(flags, "--keep-alive"), number(flags, "--new-connection"), number(flags, "--slow"),
                number(flags, "--slow-min-ms"), number(flags, "--slow-max-ms"),
                number(flags, "--connect-timeout-ms"), number(flags, "--read-timeout-ms"))).start();
        Path stop = Path.of(flags.get("--stop-file"));
        while (!Files.exists(stop)) {
            Thread.sleep(100);
        }
        load.close();
        System.out.println(load.json());
    }

    private static int number(Map<String, String> flags, String name) {
        return Integer.parseInt(flags.get(name));
    }
}
