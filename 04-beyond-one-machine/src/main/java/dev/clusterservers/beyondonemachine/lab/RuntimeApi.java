package dev.clusterservers.beyondonemachine.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's runtime API: one command per connection to its stats socket, one text answer.
 * The lab uses three: {@code set server api/h1 state drain|ready|maint} to take a host out of
 * rotation and bring it back, and {@code show stat} for each server's state and sessions.
 */
public final class RuntimeApi {
    private final Path socket;

    public RuntimeApi(Path socket) {
        this.socket = socket;
    }

    /** Sends one command and returns HAProxy's answer. */
    public String send(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** {@code drain}: no new requests, the ones under way finish; {@code ready}: back in rotation. */
    public void setState(String host, String state) throws IOException {
        String answer = send("set server " + HaproxyConfig.BACKEND + "/" + host + " state " + state).strip();
        if (!answer.isEmpty()) {
            throw new IOException("HAProxy refused `set server " + HaproxyConfig.BACKEND + "/" + host + " state " + state + "`: " + answer);
        }
    }

    /** One server as {@code show stat} reports it. */
    public record ServerStat(String host, String status, int sessions, long total, long responses2xx,
                             long responses5xx, String check, String admin) {
        /** UP, DOWN, DRAIN, MAINT, with the check's transition ("UP 1/2") as HAProxy prints it. */
        public boolean up() {
            return status.startsWith("UP") || status.startsWith("DRAIN");
        }
    }

    /** Every server of the lab's backend, in the configuration's order. */
    public Map<String, ServerStat> servers() throws IOException {
        return parseStat(send("show stat"));
    }

    /** Parses {@code show stat}'s CSV by its header's names, keeping the backend's servers. */
    static Map<String, ServerStat> parseStat(String csv) {
        Map<String, ServerStat> servers = new LinkedHashMap<>();
        List<String> header = null;
        for (String line : csv.split("\n")) {
            if (line.startsWith("# ")) {
                header = List.of(line.substring(2).split(",", -1));
                continue;
            }
            if (header == null || line.isBlank()) {
                continue;
            }
            String[] values = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < Math.min(values.length, header.size()); i++) {
                row.put(header.get(i), values[i]);
            }
            String server = row.get("svname");
            if (!HaproxyConfig.BACKEND.equals(row.get("pxname")) || "BACKEND".equals(server) || "FRONTEND".equals(server)) {
                continue;
            }
            servers.put(server, new ServerStat(server, row.getOrDefault("status", "?"), intOf(row.get("scur")),
                    longOf(row.get("stot")), longOf(row.get("hrsp_2xx")), longOf(row.get("hrsp_5xx")),
                    row.getOrDefault("check_status", ""), adminOf(row.getOrDefault("status", ""))));
        }
        return servers;
    }

    private static String adminOf(String status) {
        return status.startsWith("MAINT") ? "maint" : status.startsWith("DRAIN") ? "drain" : "ready";
    }

    private static int intOf(String value) {
        return value == null || value.isEmpty() ? 0 : Integer.parseInt(value);
    }

    private static long longOf(String value) {
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }

    /** Names of the backend's servers in a given state, for messages. */
    static List<String> named(Map<String, ServerStat> servers, java.util.function.Predicate<ServerStat> which) {
        List<String> names = new ArrayList<>();
        servers.values().stream().filter(which).forEach(s -> names.add(s.host()));
        return names;
    }
}
