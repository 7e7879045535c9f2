package dev.clusterservers.beyondonemachine;

import dev.clusterservers.beyondonemachine.lab.Bench;
import dev.clusterservers.beyondonemachine.lab.LabControl;
import dev.clusterservers.beyondonemachine.lab.LabControl.FailMode;
import dev.clusterservers.beyondonemachine.lab.LabHome;
import dev.clusterservers.beyondonemachine.lab.LabPlan;
import dev.clusterservers.beyondonemachine.lab.LabStatus;
import dev.clusterservers.beyondonemachine.lab.Releases;
import dev.clusterservers.beyondonemachine.lab.RollingDeploy;
import dev.clusterservers.beyondonemachine.lab.Shell;
import dev.clusterservers.beyondonemachine.lab.Tools;
import dev.clusterservers.beyondonemachine.load.LoadClient;
import dev.clusterservers.beyondonemachine.load.Outcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lab}: several hosts behind HAProxy, one Redis, jpm on each host. The entry point only
 * parses the command and hands it to the lab's pieces; each subcommand is one verb a learner
 * types. Exit codes: 0 done, 1 the lab could not do it (the message says why), 2 a bad flag.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Several hosts (network namespaces) each running jpm, behind HAProxy, with one Redis.%n"
                + "Needs root, iproute2, haproxy and redis-server; state in $LAB_HOME (default 04-beyond-one-machine/lab-home).",
        subcommands = {Lab.Up.class, Lab.Status.class, Lab.Deploy.class, Lab.Fail.class, Lab.Heal.class, Lab.Down.class,
                Lab.Load.class, Lab.BenchCommand.class, Lab.Soak.class, Lab.HaproxyApi.class, Lab.Netem.class})
public final class Lab {
    /** The lab could not do what was asked; the message says why. */
    static final int FAILED = 1;

    private Lab() {
    }

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(Lab.class);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof LabControl.LabException || e instanceof IllegalArgumentException || e instanceof Shell.CommandFailed
                    || e instanceof IOException) {
                System.err.println("[lab] " + e.getMessage());
                return FAILED;
            }
            throw e;
        });
        System.exit(commandLine.execute(args));
    }

    static LabHome home() {
        return new LabHome(Path.of(System.getenv().getOrDefault("LAB_HOME", "04-beyond-one-machine/lab-home")).toAbsolutePath());
    }

    static void say(String line) {
        System.out.println("[lab] " + line);
    }

    static LabControl control() {
        return new LabControl(home(), Tools.fromSystemProperties(), Lab::say);
    }

    @Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Build the lab: the network, Redis, jpm on every host, HAProxy in front. Sweeps what an earlier lab of the same name left first.")
    static final class Up implements Callable<Integer> {
        @Option(names = "--hosts", description = "app hosts, 1 to " + LabPlan.MAX_HOSTS + " (default: ${DEFAULT-VALUE})")
        int hosts = LabPlan.DEFAULT_HOSTS;
        @Option(names = "--instances", description = "jpm instances per host (default: ${DEFAULT-VALUE})")
        int instances = LabPlan.DEFAULT_INSTANCES;
        @Option(names = "--port", description = "HAProxy's port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
        int port = LabPlan.DEFAULT_PORT;
        @Option(names = "--name", description = "prefix of every namespace and link, at most 8 characters (default: ${DEFAULT-VALUE})")
        String name = LabPlan.DEFAULT_NAME;
        @Option(names = "--subnet", description = "the lab's private /24, its first three octets (default: ${DEFAULT-VALUE})")
        String subnet = LabPlan.DEFAULT_SUBNET;
        @Option(names = "--no-retries", description = "HAProxy without retry-on and redispatch, to see what they save")
        boolean noRetries;

        @Override
        public Integer call() throws IOException {
            control().up(new LabPlan(name, subnet, hosts, instances, port, LabPlan.APP_PORT), !noRetries);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each host: its link, HAProxy's view (UP/DOWN/DRAIN, sessions), jpm's instances, each process's release and requests served.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            LabPlan plan = control().plan();
            LabStatus.lines(plan, home(), Tools.fromSystemProperties()).forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = "Ship a release to every host, one host at a time: drain it in HAProxy, wait for 0 sessions, jpm reload, check, ready.")
    static final class Deploy implements Callable<Integer> {
        @Parameters(paramLabel = "VERSION", description = "the release's name, e.g. v2; every answer carries it in X-Release")
        String version;
        @Option(names = "--strategy", description = "rolling (default), no-drain (stop, then start, each host in turn; HAProxy not told), "
                + "all-at-once (stop, then start, every host together): the last two are the naive ways")
        String strategy = "rolling";

        @Override
        public Integer call() throws IOException {
            RollingDeploy.Strategy chosen = switch (strategy) {
                case "rolling" -> RollingDeploy.Strategy.ROLLING;
                case "no-drain" -> RollingDeploy.Strategy.NO_DRAIN;
                case "all-at-once" -> RollingDeploy.Strategy.ALL_AT_ONCE;
                default -> throw new IllegalArgumentException("--strategy must be rolling, no-drain or all-at-once, not '" + strategy + "'");
            };
            LabControl control = control();
            LabPlan plan = control.plan();
            Tools tools = Tools.fromSystemProperties();
            Path release = Releases.stamp(home(), tools.appJar(), version);
            new RollingDeploy(plan, home(), tools, Lab::say).deploy(release, version, chosen);
            return 0;
        }
    }

    @Command(name = "fail", mixinStandardHelpOptions = true, description = "Take a host out as a failure would: cut its link, or SIGKILL everything on it.")
    static final class Fail implements Callable<Integer> {
        @Parameters(paramLabel = "HOST", description = "h1, h2, ..., or db (Redis's host)")
        String host;
        @Option(names = "--how", description = "link (default: pull its cable) or kill (crash its processes)")
        String how = "link";

        @Override
        public Integer call() throws IOException {
            FailMode mode = switch (how) {
                case "link" -> FailMode.LINK;
                case "kill" -> FailMode.KILL;
                default -> throw new IllegalArgumentException("--how must be link or kill, not '" + how + "'");
            };
            control().fail(host, mode);
            return 0;
        }
    }

    @Command(name = "heal", mixinStandardHelpOptions = true, description = "Bring a failed host back: link up, jpm started again if nothing runs, wait until HAProxy sees it UP.")
    static final class Heal implements Callable<Integer> {
        @Parameters(paramLabel = "HOST", description = "h1, h2, ..., or db (Redis's host)")
        String host;

        @Override
        public Integer call() throws IOException {
            control().heal(host);
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Remove every namespace, link, process and file the lab made.")
    static final class Down implements Callable<Integer> {
        @Option(names = "--name", description = "the lab's name, if $LAB_HOME no longer says (default: ${DEFAULT-VALUE})")
        String name = LabPlan.DEFAULT_NAME;

        @Override
        public Integer call() throws IOException {
            List<String> removed = control().down(name);
            say(removed.isEmpty() ? "nothing of a lab '" + name + "' was left" : "removed " + String.join(", ", removed));
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Send requests through HAProxy for a while, and count how each one ended: ok, refused, reset, EOF before status, timeout, 5xx.")
    static final class Load implements Callable<Integer> {
        @Option(names = "--seconds", description = "how long (default: ${DEFAULT-VALUE})")
        int seconds = 30;
        @Option(names = "--connections", description = "keep-alive connections, each one request at a time (default: ${DEFAULT-VALUE})")
        int connections = 8;
        @Option(names = "--requests", description = "get (GET /), post (POST /visits) or both (default: ${DEFAULT-VALUE})")
        String requests = "get";

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (seconds < 1 || seconds > 3_600) {
                throw new IllegalArgumentException("--seconds must be between 1 and 3600: " + seconds);
            }
            LoadClient.Mix mix = switch (requests) {
                case "get" -> LoadClient.Mix.GET;
                case "post" -> LoadClient.Mix.POST;
                case "both" -> LoadClient.Mix.BOTH;
                default -> throw new IllegalArgumentException("--requests must be get, post or both, not '" + requests + "'");
            };
            LabPlan plan = control().plan();
            say("sending " + requests + " requests on " + connections + " connections to 127.0.0.1:" + plan.port() + " for " + seconds + " s");
            LoadClient client = LoadClient.start(new InetSocketAddress("127.0.0.1", plan.port()), connections, mix);
            Thread.sleep(seconds * 1_000L);
            client.close();
            say(client.timeline().summary());
            say("answered 2xx: GET " + client.timeline().totals("GET").get(Outcome.OK) + ", POST " + client.timeline().totals("POST").get(Outcome.OK)
                    + "; failed: GET " + failed(client, "GET") + ", POST " + failed(client, "POST"));
            say("answered per host: " + client.timeline().answeredByHost());
            return client.timeline().failed() == 0 ? 0 : FAILED;
        }

        private static long failed(LoadClient client, String method) {
            return client.timeline().totals(method).entrySet().stream().filter(e -> e.getKey().failed())
                    .mapToLong(java.util.Map.Entry::getValue).sum();
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Measure the lesson in one run under the same load: three ways to deploy, a host lost two ways with and "
                    + "without HAProxy's retries, and the CPU the HAProxy hop costs. Writes 04-beyond-one-machine/results/lab-bench.json.")
    static final class BenchCommand implements Callable<Integer> {
        @Option(names = "--hop-rounds", description = "interleaved rounds of the HAProxy-hop cost, 0 to skip (default: ${DEFAULT-VALUE})")
        int hopRounds = 3;
        @Option(names = "--connections", description = "the load's keep-alive connections (default: ${DEFAULT-VALUE})")
        int connections = 8;

        @Override
        public Integer call() throws IOException {
            if (hopRounds < 0 || hopRounds > 10) {
                throw new IllegalArgumentException("--hop-rounds must be between 0 and 10: " + hopRounds);
            }
            LabPlan plan = control().plan();
            new Bench(plan, home(), Tools.fromSystemProperties(), Lab::say, connections,
                    "04-beyond-one-machine/lab bench --hop-rounds " + hopRounds + " --connections " + connections).bench(hopRounds);
            return 0;
        }
    }

    @Command(name = "soak", mixinStandardHelpOptions = true,
            description = "Rolling deploys in a row under load; the goal is 0 failed requests. Writes 04-beyond-one-machine/results/lab-soak.json.")
    static final class Soak implements Callable<Integer> {
        @Option(names = "--deploys", description = "how many (default: ${DEFAULT-VALUE})")
        int deploys = 20;
        @Option(names = "--connections", description = "the load's keep-alive connections (default: ${DEFAULT-VALUE})")
        int connections = 8;

        @Override
        public Integer call() throws IOException {
            if (deploys < 1 || deploys > 200) {
                throw new IllegalArgumentException("--deploys must be between 1 and 200: " + deploys);
            }
            LabPlan plan = control().plan();
            new Bench(plan, home(), Tools.fromSystemProperties(), Lab::say, connections,
                    "04-beyond-one-machine/lab soak --deploys " + deploys + " --connections " + connections).soak(deploys);
            return 0;
        }
    }

    @Command(name = "haproxy", mixinStandardHelpOptions = true,
            description = "Send one command to HAProxy's runtime API and print its answer, e.g. `lab haproxy show servers state api` "
                    + "or `lab haproxy set server api/h1 state drain`.")
    static final class HaproxyApi implements Callable<Integer> {
        @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "the runtime API's command, words as HAProxy's management guide writes them")
        List<String> command;

        @Override
        public Integer call() throws IOException {
            control().plan();
            System.out.print(new dev.clusterservers.beyondonemachine.lab.RuntimeApi(home().haproxySocket()).send(String.join(" ", command)));
            return 0;
        }
    }

    @Command(name = "netem", mixinStandardHelpOptions = true,
            description = "Add latency or loss to a host's link with the kernel's netem, or --off to remove it. "
                    + "Kernels without netem are common: then it says so, and the lab goes on without it.")
    static final class Netem implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "HOST", description = "h1, h2, ..., or db")
        String host;
        @Parameters(index = "1..*", paramLabel = "SPEC", arity = "0..*",
                description = "what netem adds, as tc writes it: delay 100ms, delay 50ms 10ms, loss 1%%")
        List<String> spec = List.of();
        @Option(names = "--off", description = "remove what netem added")
        boolean off;

        @Override
        public Integer call() throws IOException {
            LabPlan plan = control().plan();
            if (!host.equals(plan.redisHost())) {
                plan.hostIndex(host);
            }
            if (off == !spec.isEmpty()) {
                throw new IllegalArgumentException("give what to add (e.g. `lab netem h2 delay 100ms`) or --off, not both or neither");
            }
            String problem = dev.clusterservers.beyondonemachine.lab.Network.netem(plan, host, off ? List.of() : spec);
            if (problem != null) {
                say(problem);
                return FAILED;
            }
            say(off ? "host " + host + ": no netem on its link now" : "host " + host + ": netem " + String.join(" ", spec) + " on its link");
            return 0;
        }
    }
}
