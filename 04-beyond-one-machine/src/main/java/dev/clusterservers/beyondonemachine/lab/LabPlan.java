package dev.clusterservers.beyondonemachine.lab;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Every name and address of one lab, worked out before anything is made, so that {@code up}
 * makes exactly this and {@code down} (or the sweep after a crash) removes exactly this.
 *
 * <p>Every kernel object carries the lab's name as its prefix: the namespaces
 * {@code NAME-h1 .. NAME-hN} and {@code NAME-db}, their links' root ends of the same names, and
 * the bridge {@code NAME-br}. A later {@code up} finds what a crashed lab left by that prefix.
 * Linux allows 15 characters in a link's name, so a name is at most 8.
 *
 * <p>The subnet is {@code PREFIX.0/24}, private to this machine: the bridge is {@code .1}, Redis's
 * host {@code .2}, app host {@code i} is {@code .(10 + i)}. Nothing routes it anywhere else.
 *
 * @param name      the prefix of every namespace and link, e.g. {@code jcs}
 * @param subnet    the first three octets, e.g. {@code 10.77.0}
 * @param hosts     how many app hosts
 * @param instances jpm instances per host
 * @param port      where HAProxy listens on 127.0.0.1
 * @param appPort   where each host's app listens in its own namespace
 */
public record LabPlan(String name, String subnet, int hosts, int instances, int port, int appPort) {
    public static final String DEFAULT_NAME = "jcs";
    public static final String DEFAULT_SUBNET = "10.77.0";
    public static final int DEFAULT_HOSTS = 3;
    public static final int MAX_HOSTS = 16;
    public static final int DEFAULT_INSTANCES = 2;
    public static final int MAX_INSTANCES = 8;
    public static final int DEFAULT_PORT = 8000;
    public static final int APP_PORT = 8080;
    public static final int REDIS_PORT = 6379;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,7}");
    private static final Pattern SUBNET = Pattern.compile("(10|172\\.(1[6-9]|2[0-9]|3[01])|192\\.168)(\\.\\d{1,3}){1,2}");

    /** Checks every value and says what is wrong and what is allowed. */
    public LabPlan {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name must be 1 to 8 lower-case letters or digits, starting with a "
                    + "letter (it prefixes every namespace and link, and a link's name has at most 15 characters): '" + name + "'");
        }
        if (!SUBNET.matcher(subnet).matches() || subnet.split("\\.").length != 3
                || java.util.Arrays.stream(subnet.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)) {
            throw new IllegalArgumentException("--subnet must be the first three octets of a private /24, "
                    + "such as 10.77.0 or 192.168.77: '" + subnet + "'");
        }
        if (hosts < 1 || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException("--hosts must be between 1 and " + MAX_HOSTS
                    + " (each host runs a jpm daemon and its instances on this machine's 2 cores): " + hosts);
        }
        if (instances < 1 || instances > MAX_INSTANCES) {
            throw new IllegalArgumentException("--instances must be between 1 and " + MAX_INSTANCES + ": " + instances);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 1 and 65535: " + port);
        }
    }

    /** The host names a learner types: {@code h1 .. hN}. */
    public List<String> hostNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= hosts; i++) {
            names.add("h" + i);
        }
        return names;
    }

    /** {@code h2} → its address; an unknown name is an error that lists the real ones. */
    public String hostAddress(String host) {
        return subnet + "." + (10 + hostIndex(host));
    }

    public int hostIndex(String host) {
        int index = hostNames().indexOf(host);
        if (index < 0) {
            throw new IllegalArgumentException("no host '" + host + "' in this lab; its hosts are "
                    + String.join(", ", hostNames()));
        }
        return index + 1;
    }

    /** The network namespace of an app host, or of Redis's host ({@code db}). */
    public String namespace(String host) {
        return name + "-" + host;
    }

    public String redisHost() {
        return "db";
    }

    public String redisAddress() {
        return subnet + ".2";
    }

    public String bridge() {
        return name + "-br";
    }

    public String bridgeAddress() {
        return subnet + ".1";
    }

    /** Every namespace of the lab, Redis's first. */
    public List<String> namespaces() {
        List<String> all = new ArrayList<>();
        all.add(namespace(redisHost()));
        hostNames().forEach(host -> all.add(namespace(host)));
        return all;
    }

    /** The prefix that marks everything this lab (or a crashed lab of the same name) made. */
    public String prefix() {
        return name + "-";
    }

    // The plan is written when a lab is up, so every later command acts on the same lab.
    public void save(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("subnet", subnet);
        p.setProperty("hosts", Integer.toString(hosts));
        p.setProperty("instances", Integer.toString(instances));
        p.setProperty("port", Integer.toString(port));
        p.setProperty("appPort", Integer.toString(appPort));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "the lab that `lab up` made; `lab down` removes it");
        }
    }

    public static LabPlan load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return new LabPlan(p.getProperty("name"), p.getProperty("subnet"), Integer.parseInt(p.getProperty("hosts")),
                Integer.parseInt(p.getProperty("instances")), Integer.parseInt(p.getProperty("port")),
                Integer.parseInt(p.getProperty("appPort")));
    }
}
