#!/usr/bin/env python3
"""fork-server-cpu.py BEFORE_ROOT AFTER_ROOT: only 02's tree CPU per request, 4 alternating rounds (see lean-workers.py)."""
import sys, importlib.util, statistics
spec = importlib.util.spec_from_file_location("lw", __file__.replace("fork-server-cpu.py", "lean-workers.py"))
lw = importlib.util.module_from_spec(spec); spec.loader.exec_module(lw)
res = {"before": [], "after": []}
for r in range(4):
    for name, root in (("before", sys.argv[1]), ("after", sys.argv[2])):
        us, mem = lw.fork_server_cluster(root, 10)
        res[name].append(us); print(name, round(us, 1), flush=True)
b, a = statistics.median(res["before"]), statistics.median(res["after"])
print("median before", round(b,1), "after", round(a,1), "ratio", round(a/b, 2))
