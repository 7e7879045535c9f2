#!/usr/bin/env python3
"""Where the second worker's CPU goes: one server and two, Java and Node, side by side in one run.

    01-share-ports/bench/second-worker.py [--rounds N] [--seconds S] [--before ROOT] [--java25 PATH]
                                          [--rows a,b,...] [--worker-flags "FLAGS"]
                                          [--variant NAME ROOT JAVA "FLAGS"]...

Rows, in rounds that alternate every row: the tutorial's Node server alone and Node's cluster
with 2 workers (compare/node); one lesson-01 worker serving alone, as its master starts it
(one core's share, serial GC, 64 MiB heap); and lesson 01 with 2 workers sharing the master's
listening socket. `--before ROOT` adds the same two Java rows from another checkout (built),
`--java25 PATH` the same two on another JDK's `java`, and each `--variant NAME ROOT JAVA
FLAGS` the same two from checkout ROOT (`.` for this one) on JAVA (`java` for the one on the
PATH) with FLAGS added, as java-1-NAME and java-2-NAME: one run can set several changes side
by side, interleaved. Start FLAGS with a space (`" -XX:TieredStopAtLevel=1"`), or the
argument parser takes them for an option of this script. Each row gets `wrk -t1 -c64` for S
seconds after a 20 s warm-up (the JVM's compilers settle in 10 to 15 s of this load). For
the measured seconds it reads, for every process of the row and every thread of each:

- CPU per request: utime + stime (/proc/PID/task/TID/stat) over the requests wrk counted;
- context switches per request: voluntary + involuntary (/proc/PID/task/TID/status), the
  times a thread went to sleep waiting for work, or was put aside for another;
- where the CPU went: the same CPU time by thread name (digits dropped: the pool's threads
  are one row), as a share of the row's total.

Prints the medians and ranges, and each thread group's share, per row. `--worker-flags` adds
JVM flags to every Java worker. Run from the repository root after
`./mvnw -q -pl 01-share-ports -am package -DskipTests`. Needs wrk and node.
"""
import argparse
import collections
import glob
import importlib.util
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec = importlib.util.spec_from_file_location("lean_workers", os.path.join(ROOT, "jvm-plumbing", "bench", "lean-workers.py"))
lw = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lw)
NODE = os.path.join(ROOT, "compare", "node")
TICKS = os.sysconf("SC_CLK_TCK")


def threads(pids):
    """{(pid, tid): (name, cpu seconds, context switches)} for every thread of pids."""
    out = {}
    for pid in pids:
        for task in glob.glob(f"/proc/{pid}/task/[0-9]*"):
            try:
                stat = open(f"{task}/stat").read()
                name = stat[stat.index("(") + 1:stat.rindex(")")]
                fields = stat.rsplit(")", 1)[1].split()
                cpu = (int(fields[11]) + int(fields[12])) / TICKS
                switches = 0
                for line in open(f"{task}/status"):
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        switches += int(line.split()[1])
                out[(pid, int(task.rsplit("/", 1)[1]))] = (name, cpu, switches)
            except (OSError, ValueError):
                pass
    return out


def group(name):
    """A thread's group: its name without digits (worker-http-12 and worker-http-13 are one group)."""
    return re.sub(r"[-_ #]*\d+", "", name) or name


WARMUP_SECONDS = 20


def measure(port, pids_of, seconds):
    lw.wait_answer(port, None)
    time.sleep(2)
    # A JVM's compilers work for 10 to 15 s of this load before its code settles; measured
    # earlier, their CPU would count against the row, twice for two workers.
    lw.load(port, WARMUP_SECONDS)
    pids = pids_of()
    before = threads(pids)
    requests, _ = lw.load(port, seconds)
    after = threads(pids)
    cpu = switches = 0.0
    by_group = collections.Counter()
    for key, (name, c, s) in after.items():
        c0, s0 = (before[key][1], before[key][2]) if key in before else (0.0, 0)
        cpu += c - c0
        switches += s - s0
        by_group[group(name)] += c - c0
    return {"us": cpu * 1e6 / requests, "cs": switches / requests, "rate": requests / seconds,
            "groups": {g: c / cpu for g, c in by_group.items()} if cpu else {}}


def java_rows(root, java, worker_flags, suffix=""):
    jar = os.path.join(root, "01-share-ports", "target", "01-share-ports.jar")
    archive = lw.archive_flags(jar) if java == "java" else []

    def one_jvm(seconds):
        port = lw.free_port()
        command = lw.worker_command(root, port)
        command = [java] + archive + command[1 + len(lw.archive_flags(jar)):]
        command[1:1] = worker_flags
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            return measure(port, lambda: [proc.pid], seconds)
        finally:
            lw.stop(proc)

    def two_workers(seconds):
        port = lw.free_port()
        env = dict(os.environ, JDK_JAVA_OPTIONS=" ".join(worker_flags)) if worker_flags else None
        proc = subprocess.Popen([java] + archive + lw.OPENS + ["-jar", jar, "--workers", "2", "--strategy", "shared",
                                                              "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            return measure(port, lambda: lw.tree(proc.pid), seconds)
        finally:
            lw.stop(proc)

    return {"java-1" + suffix: one_jvm, "java-2" + suffix: two_workers}


def node_rows():
    def run(script, workers):
        def row(seconds):
            port = lw.free_port()
            proc = subprocess.Popen(["node", os.path.join(NODE, script)],
                                    env=dict(os.environ, PORT=str(port), WORKERS=str(workers)),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                return measure(port, lambda: lw.tree(proc.pid), seconds)
            finally:
                lw.stop(proc)
        return row
    return {"node-1": run("api.js", 1), "node-2": run("share-ports.js", 2)}


LABELS = {"node-1": "Node, 1 process", "node-2": "Node cluster, 2 workers",
          "java-1": "one Javalin JVM", "java-2": "01 shared, 2 workers"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--before", help="another checkout (built): adds its two Java rows, as java-1-before and java-2-before")
    parser.add_argument("--java25", help="another JDK's java binary: adds the two Java rows on it, as java-1-jdk25 and java-2-jdk25")
    parser.add_argument("--rows", help="only these rows (default: all that the flags give)")
    parser.add_argument("--worker-flags", default="", help="JVM flags added to every Java worker")
    parser.add_argument("--variant", nargs=4, action="append", default=[], metavar=("NAME", "ROOT", "JAVA", "FLAGS"),
                        help="adds java-1-NAME and java-2-NAME: checkout ROOT (built; . for this one) on JAVA "
                             "(java: the PATH's) with FLAGS added to the worker flags")
    a = parser.parse_args()
    for tool in ("wrk", "node"):
        if not shutil_which(tool):
            sys.exit(f"second-worker: {tool} not found (apt-get install {tool})")
    flags = shlex.split(a.worker_flags)
    available = {**node_rows(), **java_rows(ROOT, "java", flags)}
    # --before and --java25 are the two variants this script began with.
    variants = ([["before", a.before, "java", ""]] if a.before else []) \
        + ([["jdk25", ROOT, a.java25, ""]] if a.java25 else []) + a.variant
    for name, root, java, extra in variants:
        available.update(java_rows(os.path.abspath(root), java, flags + shlex.split(extra), "-" + name))
        LABELS["java-1-" + name] = "one Javalin JVM, " + name
        LABELS["java-2-" + name] = "01 shared, 2 workers, " + name
    names = a.rows.split(",") if a.rows else list(available)
    unknown = [n for n in names if n not in available]
    if unknown:
        sys.exit(f"second-worker: unknown row {', '.join(unknown)}; rows are {', '.join(available)}")
    results = {n: [] for n in names}
    for r in range(a.rounds):
        for n in names:
            m = available[n](a.seconds)
            results[n].append(m)
            print(f"round {r + 1}/{a.rounds}: {LABELS[n]}: {m['us']:.1f} us CPU/request, "
                  f"{m['cs']:.3f} context switches/request, {m['rate']:,.0f} req/s", file=sys.stderr, flush=True)
    print(f"after: {ROOT}; before: {a.before or '-'}; JDK 25: {a.java25 or '-'}; worker flags: {a.worker_flags or '-'}")
    print(f"{'row':30} {'CPU us/req':>16} {'switches/req':>20} {'req/s':>8}   (medians, range of {a.rounds} rounds)")
    for n in names:
        ms = results[n]
        us = [m["us"] for m in ms]
        cs = [m["cs"] for m in ms]
        print(f"{LABELS[n]:30} {statistics.median(us):5.1f} ({min(us):.1f}-{max(us):.1f}) "
              f"{statistics.median(cs):6.3f} ({min(cs):.2f}-{max(cs):.2f}) {statistics.median(m['rate'] for m in ms):8,.0f}")
    print("where the CPU went (share of the row's CPU, median over rounds):")
    for n in names:
        groups = collections.defaultdict(list)
        for m in results[n]:
            for g, share in m["groups"].items():
                groups[g].append(share)
        top = sorted(((statistics.median(v), g) for g, v in groups.items()), reverse=True)[:6]
        print(f"  {LABELS[n]:30} " + ", ".join(f"{g} {s:.0%}" for s, g in top if s >= 0.005))


def shutil_which(tool):
    import shutil
    return shutil.which(tool)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
