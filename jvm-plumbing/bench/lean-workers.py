#!/usr/bin/env python3
"""Lean workers, before and after, side by side: start-up, `jpm list`, CPU per request, memory.

    jvm-plumbing/bench/lean-workers.py BEFORE_ROOT AFTER_ROOT [--rounds N] [--seconds S]

Each ROOT is a checkout whose runnable jars are built (`./mvnw -q -pl 01-share-ports,
02-fork-server,03-process-manager -am package -DskipTests`); a checkout whose build made
start-up archives starts from them. Every figure is measured in rounds that alternate
between the two checkouts, and the medians are printed with the after/before ratio: on a
shared machine the absolute figures move with the load, the ratios much less.

Needs wrk and curl (Debian: apt-get install wrk curl). Uses ports from a free-port probe,
JPM_HOME in a private temporary folder, and kills only the processes it started.
"""
import argparse
import glob
import hashlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

OPENS = ["--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"]
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port, path="/"):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
            return r.status == 200
    except Exception:
        return False


def wait_answer(port, proc, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before serving")
        if answers(port):
            return
        time.sleep(0.005)
    raise RuntimeError(f"nothing answered on port {port} within {timeout} s")


def archive_flags(jar):
    """The flags StartupArchive (jvm-plumbing) would add: only if the build made the archive."""
    version = subprocess.run(["java", "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    runtime = re.search(r"java\.runtime\.version = (\S+)", version).group(1)
    key = re.sub(r"[^A-Za-z0-9.+_-]", "_", runtime)
    data = open(jar, "rb").read()
    start = 0
    if len(data) >= 22 and data[-22:-18] == b"PK\x05\x06":
        start = len(data) - 22 - int.from_bytes(data[-10:-6], "little")
    digest = hashlib.sha256(data[start:]).hexdigest()[:16]
    base = os.path.basename(jar)[:-4]
    for ext, flag in ((".jsa", "-XX:SharedArchiveFile"), (".aot", "-XX:AOTCache")):
        path = os.path.join(os.path.dirname(jar), "startup", f"{base}-{digest}-{key}{ext}")
        if os.path.isfile(path):
            return [f"{flag}={path}", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"]
    return []


def tree(pid):
    """pid and every descendant, from /proc."""
    children = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = open(stat).read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.split("/")[2]))
        except (OSError, IndexError):
            pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_seconds(pids):
    total = 0
    for p in pids:
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / TICKS


def memory_mib(pid):
    rss = pss = 0
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, pss


def java_children(pid):
    return [p for p in tree(pid)[1:] if "java" in open(f"/proc/{p}/cmdline", "rb").read().split(b"\0")[0].decode()]


def load(port, seconds, sample_pids=None):
    """wrk -t1 -c64 for `seconds`; returns requests served and the memory of sample_pids() near the end."""
    wrk = subprocess.Popen(["wrk", "-t1", "-c64", f"-d{seconds}s", f"http://127.0.0.1:{port}/"],
                           stdout=subprocess.PIPE, text=True)
    time.sleep(max(1, seconds - 1))
    memory = [memory_mib(p) for p in (sample_pids() if sample_pids else [])]
    out = wrk.communicate()[0]
    return int(re.search(r"(\d+) requests in", out).group(1)), memory


def stop(proc):
    if proc.poll() is None:
        pids = tree(proc.pid)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            pass
        for p in pids:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()


def worker_command(root, port):
    """A lesson-01 worker as its master starts it: one of two workers on this machine's cores."""
    jar = f"{root}/01-share-ports/target/01-share-ports.jar"
    src = open(f"{root}/01-share-ports/src/main/java/dev/clusterservers/shareports/Master.java").read()
    flags = re.search(r'return List\.of\("-XX:ActiveProcessorCount=" \+ share, (.*?)\);', src).group(1)
    tuned = [f"-XX:ActiveProcessorCount={max(1, os.cpu_count() // 2)}"] + re.findall(r'"([^"]+)"', flags)
    return ["java"] + archive_flags(jar) + OPENS + tuned + ["-cp", jar, "dev.clusterservers.shareports.SharePorts",
                                                          "--role", "WORKER", "--strategy", "reuseport",
                                                          "--port", str(port), "--worker-id", "1"]


def spawn_to_ready(root):
    port = free_port()
    start = time.monotonic()
    proc = subprocess.Popen(worker_command(root, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_answer(port, proc)
        return (time.monotonic() - start) * 1000
    finally:
        stop(proc)


def one_worker_under_load(root, seconds):
    port = free_port()
    proc = subprocess.Popen(worker_command(root, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_answer(port, proc)
        load(port, 5)  # warm-up: JIT, pools
        before = cpu_seconds([proc.pid])
        requests, memory = load(port, seconds, lambda: [proc.pid])
        return (cpu_seconds([proc.pid]) - before) * 1e6 / requests, memory[0]
    finally:
        stop(proc)


def cluster_under_load(command, port, seconds, members):
    """A master and its children: CPU per request of the whole tree, and RSS/PSS of each member."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_answer(port, proc)
        time.sleep(2)
        load(port, 5)
        pids = tree(proc.pid)
        before = cpu_seconds(pids)
        requests, memory = load(port, seconds, lambda: members(proc.pid))
        return (cpu_seconds(pids) - before) * 1e6 / requests, memory
    finally:
        stop(proc)


def share_ports_cluster(root, seconds):
    port = free_port()
    jar = f"{root}/01-share-ports/target/01-share-ports.jar"
    command = ["java"] + OPENS + ["-jar", jar, "--workers", "2", "--strategy", "reuseport", "--port", str(port)]
    return cluster_under_load(command, port, seconds, java_children)


def fork_server_cluster(root, seconds):
    port = free_port()
    jar = f"{root}/02-fork-server/target/02-fork-server.jar"
    command = ["java"] + archive_flags(jar) + ["-jar", jar, "--workers", "2", "--port", str(port)]
    return cluster_under_load(command, port, seconds, lambda pid: [pid] + java_children(pid))


class Jpm:
    def __init__(self, root):
        self.root = root
        self.home = tempfile.mkdtemp(prefix="lean-jpm-")
        self.env = dict(os.environ, JPM_HOME=self.home)

    def run(self, *args):
        return subprocess.run([f"{self.root}/03-process-manager/jpm", *args], env=self.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300).returncode

    def list_ms(self):
        start = time.monotonic()
        self.run("list")
        return (time.monotonic() - start) * 1000

    def start(self, instances, port):
        spec = open(f"{self.root}/03-process-manager/process.json").read()
        jvm_args = re.search(r'"jvm_args":"([^"]*)"', spec)
        app = {"name": "api", "script": f"{self.root}/03-process-manager/target/api.jar", "instances": instances,
               "exec_mode": "cluster", "port": port}
        if jvm_args:
            app["jvm_args"] = jvm_args.group(1)
        path = os.path.join(self.home, "bench.json")
        import json
        with open(path, "w") as f:
            json.dump({"apps": [app]}, f)
        self.run("start", path)

    def daemon_pid(self):
        return int(open(os.path.join(self.home, "daemon.pid")).read().strip())

    def ready_ms(self):
        text = open(os.path.join(self.home, "daemon.log")).read()
        return [int(ms) for ms in re.findall(r"ready after (\d+) ms", text)]

    def kill(self):
        self.run("kill")
        shutil.rmtree(self.home, ignore_errors=True)


def jpm_under_load(root, seconds):
    port = free_port()
    jpm = Jpm(root)
    try:
        jpm.start(2, port)
        wait_answer(port, None)
        time.sleep(2)
        load(port, 5)
        daemon = jpm.daemon_pid()
        instances = java_children(daemon)
        before = cpu_seconds([daemon] + instances)
        before_instances = cpu_seconds(instances)
        requests, memory = load(port, seconds, lambda: instances)
        tree_us = (cpu_seconds([daemon] + instances) - before) * 1e6 / requests
        instances_us = (cpu_seconds(instances) - before_instances) * 1e6 / requests
        jpm.run("reload", "api")
        return tree_us, instances_us, memory, jpm.ready_ms()
    finally:
        jpm.kill()


def median(values):
    return statistics.median(values) if values else float("nan")


def before_after_arguments(doc, tools):
    """BEFORE_ROOT AFTER_ROOT [--rounds N] [--seconds S], for this script and request-path.py; exits if a tool is missing."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    a = parser.parse_args()
    for tool in tools:
        if shutil.which(tool) is None:
            sys.exit(f"{os.path.basename(sys.argv[0])}: {tool} not found (apt-get install {tool})")
    return a


def main():
    a = before_after_arguments(__doc__, ("wrk", "curl"))
    roots = {"before": os.path.abspath(a.before), "after": os.path.abspath(a.after)}
    results = {name: {} for name in roots}

    def add(name, key, value):
        results[name].setdefault(key, []).extend(value if isinstance(value, list) else [value])

    jpms = {name: Jpm(root) for name, root in roots.items()}
    try:
        for name, jpm in jpms.items():
            jpm.run("list")  # starts the daemon, so `list` below is the CLI alone
        for r in range(a.rounds):
            for name, root in roots.items():
                print(f"round {r + 1}/{a.rounds}: {name}", file=sys.stderr)
                for _ in range(3):
                    add(name, "01 worker spawn -> ready, ms", spawn_to_ready(root))
                for _ in range(5):
                    add(name, "jpm list, ms", jpms[name].list_ms())
                us, (rss, pss) = one_worker_under_load(root, a.seconds)
                add(name, "01 worker alone, CPU us per request", us)
                add(name, "01 worker alone, RSS MiB", rss)
                add(name, "01 worker alone, PSS MiB", pss)
                us, memory = share_ports_cluster(root, a.seconds)
                add(name, "01 reuseport 2 workers, tree CPU us per request", us)
                add(name, "01 reuseport 2 workers, RSS MiB per worker", [m[0] for m in memory])
                add(name, "01 reuseport 2 workers, PSS MiB per worker", [m[1] for m in memory])
                us, memory = fork_server_cluster(root, a.seconds)
                add(name, "02 master + 2 children, tree CPU us per request", us)
                add(name, "02 master, RSS MiB", memory[0][0])
                tree_us, instances_us, memory, ready = jpm_under_load(root, a.seconds)
                add(name, "03 jpm 2 instances, tree CPU us per request", tree_us)
                add(name, "03 jpm 2 instances, instances' CPU us per request", instances_us)
                add(name, "03 jpm instance, RSS MiB", [m[0] for m in memory])
                add(name, "03 jpm instance, PSS MiB", [m[1] for m in memory])
                add(name, "03 jpm instance spawn -> ready, ms", ready)
    finally:
        for jpm in jpms.values():
            jpm.kill()

    print(f"{'figure':58} {'before':>9} {'after':>9} {'after/before':>12}   (medians of {a.rounds} interleaved rounds)")
    for key in results["before"]:
        b, f = median(results["before"][key]), median(results["after"].get(key, []))
        print(f"{key:58} {b:9.1f} {f:9.1f} {f / b:12.2f}")


if __name__ == "__main__":
    main()
