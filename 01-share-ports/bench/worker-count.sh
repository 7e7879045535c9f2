#!/usr/bin/env bash
# How many worker JVMs does this machine want? Hello-world throughput of a reuseport
# cluster with 1, 2 and 4 workers, tuned and untuned (--tune-workers), measured with wrk:
# a small C client, so the servers rather than the client are what runs out of CPU.
# The JMH benchmark (SharePortsBenchmark) compares strategies with a Java client; this
# script answers the one question a Java client answers badly.
#
#   01-share-ports/bench/worker-count.sh          # about 2 minutes; needs wrk (apt-get install wrk)
#
# It prints a table and writes it, with the machine's facts, to a new file named after the
# time of the run, 01-share-ports/results/worker-count-<UTC time>.txt: the committed
# results/worker-count.txt is one such run, and a new run never overwrites it.
set -euo pipefail
cd "$(dirname "$0")/../.."

jar=01-share-ports/target/01-share-ports.jar
warmup=${WARMUP:-10s}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
out=01-share-ports/results/worker-count-$(date -u +%Y%m%dT%H%M%SZ).txt

command -v wrk >/dev/null || { echo "worker-count.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f "$jar" ] || ./mvnw -q -pl 01-share-ports package -DskipTests

master=""
log=$(mktemp)
cleanup() { [ -n "$master" ] && kill "$master" 2>/dev/null; wait 2>/dev/null; rm -f "$log"; }
trap cleanup EXIT

# Starts a cluster, waits for its workers, measures, stops it; prints one table row.
measure() {
  local label=$1 workers=$2; shift 2
  java -jar "$jar" --port 0 --strategy reuseport --workers "$workers" "$@" > "$log" 2>&1 &
  master=$!
  for _ in $(seq 1 120); do
    [ "$(grep -c 'Worker created' "$log")" -ge "$workers" ] && break
    sleep 0.5
  done
  local port
  port=$(grep -oP 'running in PORT: \K[0-9]+' "$log")
  wrk -t2 -c"$connections" -d"$warmup" "http://127.0.0.1:$port/" > /dev/null
  local rps
  rps=$(wrk -t2 -c"$connections" -d"$duration" "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {print $2}')
  kill -TERM "$master"
  timeout 30 tail --pid="$master" -f /dev/null || kill -9 "$master"
  master=""
  printf '| %-24s | %12s |\n' "$label" "$rps"
}

{
  echo "# worker-count.sh: $(date -u +%F), $(nproc) CPUs, $(java -version 2>&1 | head -1)"
  echo "# wrk -t2 -c$connections, keep-alive, warm-up $warmup, measured $duration, strategy reuseport"
  echo
  printf '| %-24s | %12s |\n' "cluster" "requests/s"
  printf '|%s|%s|\n' "--------------------------" "-------------:"
  measure "1 worker" 1
  measure "2 workers, tuned" 2
  measure "2 workers, untuned" 2 --tune-workers false
  measure "4 workers, tuned" 4
  measure "4 workers, untuned" 4 --tune-workers false
} | tee "$out"
echo "written to $out"
