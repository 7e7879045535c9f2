(map(select(.benchmark | endswith(".throughput"))) | map({key: .params.server, value: .primaryMetric.score}) | from_entries) as $rps
| map(select(.benchmark | endswith(".latency")))
| ["| server | throughput, req/s (4 client threads) | latency, ms (1 thread): mean | p50 | p99 |",
   "|---|---:|---:|---:|---:|"]
  + map("| \(.params.server) | \($rps[.params.server] * 1000 | round) | \(.primaryMetric.score * 100 | round / 100) | \(.primaryMetric.scorePercentiles["50.0"] * 100 | round / 100) | \(.primaryMetric.scorePercentiles["99.0"] * 100 | round / 100) |")
| .[]
