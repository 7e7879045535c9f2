#!/usr/bin/env bash
# start-cpu.sh BEFORE_ROOT AFTER_ROOT [ROUNDS]: the CPU (user+sys) a lesson-01 worker spends from
# spawn until it answers GET /, and what `jpm list` costs, alternating between two built
# checkouts. CPU time moves less with a busy machine's load than wall time; both are printed.
# Worker flags are those lesson 01's master gives one of two workers; an archive made by the
# checkout's build is used if there is one. Ports 18501/18502; JPM_HOME in private temp folders.
set -euo pipefail
B="$(readlink -f "$1")"; A="$(readlink -f "$2")"; rounds="${3:-5}"
hz="$(getconf CLK_TCK)"
worker() { # root port -> "wall_ms cpu_ms"
  local root=$1 port=$2 jar=$1/01-share-ports/target/01-share-ports.jar arch=() f
  f="$(ls "$root"/01-share-ports/target/startup/*.jsa 2>/dev/null | head -1 || true)"
  if [ -n "$f" ]; then arch=(-XX:SharedArchiveFile="$f" -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0); fi
  # The heap flags of that checkout's Master.tunedFlags.
  local heap
  heap="$(grep -o '"-Xms[0-9]*m", "-Xmx[0-9]*m"' "$root/01-share-ports/src/main/java/dev/clusterservers/shareports/Master.java" | tr -d '",')"
  local t0 t1 ticks pid
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  java "${arch[@]}" --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
    -XX:ActiveProcessorCount=1 -XX:+UseSerialGC $heap -cp "$jar" dev.clusterservers.shareports.SharePorts \
    --role WORKER --strategy reuseport --port "$port" >/dev/null 2>&1 &
  pid=$!
  until curl -s -o /dev/null "localhost:$port/"; do sleep 0.005; done
  t1=$(date +%s%N); ticks=$(awk '{print $14+$15}' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(( (t1 - t0) / 1000000 )) $(( ticks * 1000 / hz ))"
}
homeB="$(mktemp -d)"; homeA="$(mktemp -d)"
trap 'JPM_HOME=$homeB "$B/03-process-manager/jpm" kill >/dev/null 2>&1 || true; JPM_HOME=$homeA "$A/03-process-manager/jpm" kill >/dev/null 2>&1 || true' EXIT
JPM_HOME=$homeB "$B/03-process-manager/jpm" list >/dev/null   # start each daemon first: `list` below is the CLI alone
JPM_HOME=$homeA "$A/03-process-manager/jpm" list >/dev/null
echo "# worker: wall ms, CPU ms from spawn to ready; jpm list: wall s, user s, sys s"
for _ in $(seq "$rounds"); do
  echo "worker before $(worker "$B" 18501)"
  echo "worker after $(worker "$A" 18502)"
  /usr/bin/time -f "jpm-list before %e %U %S" env JPM_HOME="$homeB" "$B/03-process-manager/jpm" list 2>&1 >/dev/null | tail -1
  /usr/bin/time -f "jpm-list after %e %U %S" env JPM_HOME="$homeA" "$A/03-process-manager/jpm" list 2>&1 >/dev/null | tail -1
done
