#!/usr/bin/env python3
"""A change on a request's path, before and after, beside the baseline and the Node peers, in one run.

    jvm-plumbing/bench/request-path.py BEFORE_ROOT AFTER_ROOT [--rounds N] [--seconds S]

Measures, in rounds that alternate every row: one Javalin worker (the baseline, AFTER_ROOT),
lesson 02's master with 2 children (before, after) beside the tutorial's Node fork server
with 2 children, and a jpm cluster of 2 instances (before, after) beside PM2 7 cluster mode
with 2 instances of the tutorial's api.js. Every row gets `wrk -t1 -c64` for S seconds after
a 5 s warm-up; CPU per request is the whole process tree's utime + stime over the measured
seconds, divided by the requests wrk counted. Prints the medians, and each row's ratios to
the baseline and to its Node peer, for CPU per request and for requests per second.

Each ROOT is a checkout whose jars are built (`./mvnw -q -pl 02-fork-server,03-process-manager
-am package -DskipTests`; the build's start-up archives are used where it made them). Needs
wrk, node and compare/node's pinned PM2 (`npm ci` there; `./compare/run` does it).
"""
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("lean_workers", os.path.join(HERE, "lean-workers.py"))
lw = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lw)
NODE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "compare", "node")


def measured(port, pids_of, seconds):
    """Warm-up, then wrk for `seconds`: (CPU us per request, requests per second) of pids_of()."""
    lw.wait_answer(port, None)
    time.sleep(2)
    lw.load(port, 5)
    pids = pids_of()
    before = lw.cpu_seconds(pids)
    requests, _ = lw.load(port, seconds)
    return (lw.cpu_seconds(pids) - before) * 1e6 / requests, requests / seconds


def single_jvm(root, seconds):
    port = lw.free_port()
    proc = subprocess.Popen(lw.worker_command(root, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return measured(port, lambda: [proc.pid], seconds)
    finally:
        lw.stop(proc)


def fork_server(root, seconds):
    port = lw.free_port()
    jar = f"{root}/02-fork-server/target/02-fork-server.jar"
    proc = subprocess.Popen(["java"] + lw.archive_flags(jar) + ["-jar", jar, "--workers", "2", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return measured(port, lambda: lw.tree(proc.pid), seconds)
    finally:
        lw.stop(proc)


def node_fork_server(seconds):
    port = lw.free_port()
    proc = subprocess.Popen(["node", os.path.join(NODE, "fork-server.js")], env=dict(os.environ, PORT=str(port), WORKERS="2"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return measured(port, lambda: lw.tree(proc.pid), seconds)
    finally:
        lw.stop(proc)


def jpm(root, seconds):
    port = lw.free_port()
    manager = lw.Jpm(root)
    try:
        manager.start(2, port)
        daemon = manager.daemon_pid()
        return measured(port, lambda: lw.tree(daemon), seconds)
    finally:
        manager.kill()


def pm2(seconds):
    port = lw.free_port()
    home = tempfile.mkdtemp(prefix="request-path-pm2-")
    env = dict(os.environ, PM2_HOME=home, PORT=str(port))
    cli = os.path.join(NODE, "node_modules", ".bin", "pm2")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "timeout": 120}
    try:
        subprocess.run([cli, "start", os.path.join(NODE, "api.js"), "--name", "api", "-i", "2"], check=True, **quiet)
        daemon = int(open(os.path.join(home, "pm2.pid")).read().strip())
        return measured(port, lambda: lw.tree(daemon), seconds)
    finally:
        subprocess.run([cli, "kill"], **quiet)
        shutil.rmtree(home, ignore_errors=True)


def main():
    a = lw.before_after_arguments(__doc__, ("wrk", "node"))
    if not os.path.exists(os.path.join(NODE, "node_modules", ".bin", "pm2")):
        sys.exit(f"request-path: PM2 not installed in {NODE}: run npm ci there")
    before, after = os.path.abspath(a.before), os.path.abspath(a.after)
    rows = {
        "single-jvm (baseline)": lambda: single_jvm(after, a.seconds),
        "02 master + 2 children, before": lambda: fork_server(before, a.seconds),
        "02 master + 2 children, after": lambda: fork_server(after, a.seconds),
        "node fork server, 2 children": lambda: node_fork_server(a.seconds),
        "03 jpm 2 instances, before": lambda: jpm(before, a.seconds),
        "03 jpm 2 instances, after": lambda: jpm(after, a.seconds),
        "pm2 2 instances": lambda: pm2(a.seconds),
    }
    results = {name: ([], []) for name in rows}
    for r in range(a.rounds):
        for name, run in rows.items():
            us, rate = run()
            results[name][0].append(us)
            results[name][1].append(rate)
            print(f"round {r + 1}/{a.rounds}: {name}: {us:.1f} us CPU per request, {rate:,.0f} req/s", file=sys.stderr, flush=True)

    cpu = {name: lw.median(v[0]) for name, v in results.items()}
    rate = {name: lw.median(v[1]) for name, v in results.items()}
    peer = {"02": "node fork server, 2 children", "03": "pm2 2 instances"}
    base = "single-jvm (baseline)"
    print(f"{'row':34} {'CPU us/req':>10} {'req/s':>8} {'CPU vs base':>11} {'CPU vs peer':>11} {'req/s vs peer':>13}"
          f"   (medians of {a.rounds} interleaved rounds; ratios of CPU per request: above 1 costs more)")
    for name in rows:
        p = peer.get(name[:2])
        vs_peer = f"{cpu[name] / cpu[p]:11.2f} {rate[name] / rate[p]:13.2f}" if p else f"{'':11} {'':13}"
        print(f"{name:34} {cpu[name]:10.1f} {rate[name]:8,.0f} {cpu[name] / cpu[base]:11.2f} {vs_peer}")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
