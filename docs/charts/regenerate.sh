#!/bin/sh
# Regenerates every chart in docs/charts from the result files in docs/results.
# Run from the repository root after `mvn -B -ntp -q package -DskipTests`.
set -eu
J=${JAR:-jmh/target/benchmarks.jar}
M="2 vCPUs (AMD EPYC Zen 4, KVM), 23 GiB, shared and noisy (other builds running); OpenJDK 17.0.15; 2026-11-21"
run() { java -cp "$J" dev.sablegraph.jmh.charts.ThroughputCharts --out docs/charts "$@"; }
run --prefix throughput-matrix \
    --note "$M; ThroughputTable default run (short iterations), before the GLOBAL_MUTEX baseline was made faithful" \
    docs/results/throughput-matrix/*.json
run --prefix reads-long-a \
    --note "$M; ThroughputTable --long --ops read --threads 1,50, run A (GLOBAL_MUTEX around reads and commits only)" \
    docs/results/reads-long-a/*.json
run --prefix reads-long-b \
    --note "$M; ThroughputTable --long --ops read --threads 1,50, run B (GLOBAL_MUTEX around everything)" \
    docs/results/reads-long-b/*.json
run --prefix commits \
    --note "$M; ThroughputTable --long --ops write --strategies OPTIMISTIC (SYNC: --threads 1,2,10,20,50; ASYNC: short, --threads 1,20)" \
    docs/results/commits-sync/*.json docs/results/commits-async/*.json
if ls docs/results/scale/*.json >/dev/null 2>&1; then
    java -cp "$J" dev.sablegraph.jmh.charts.ScaleCharts --out docs/charts \
        --note "$M; ScaleRun, one fresh JVM per size (see docs/benchmarks.md)" \
        --label "before #19" --later docs/results/scale/after-19/scale-100k-load-format3.json \
        --later docs/results/scale/after-19/scale-1m-load-format3.json --later-label "after #19 (2026-12-07, file format 3)" docs/results/scale/*.json
fi
run --prefix commits-2 \
    --note "$M; ThroughputTable --long --ops write --strategies OPTIMISTIC --threads 1,2,10,20,50 after the flush-token change, during a 10M bulk load on the same disk" \
    docs/results/commits-sync-2/*.json
run --prefix commits-3 \
    --note "$M; ThroughputTable --long --ops write --strategies OPTIMISTIC --threads 1,2,10,20,50 with the log's flusher thread (commit 4510772), machine otherwise idle" \
    docs/results/commits-sync-3/*.json
run --prefix peers-quiet --label Neo4jConcurrentThroughput="Neo4j 5.26.30" \
    --note "$M; PeerComparison run Q (load 8.3 before, 4.5 after), commit 60b844f" \
    docs/results/peers/peers-quiet.json
run --prefix peers-loaded --label Neo4jConcurrentThroughput="Neo4j 5.26.30" \
    --note "$M; PeerComparison run L (a 10M-node bulk load on the same disk), commit 60b844f" \
    docs/results/peers/peers-loaded.json
run --prefix peers-s4a --label Neo4jConcurrentThroughput="Neo4j 5.26.30" \
    --note "$M; PeerComparison session 4 run a, commit 1d724fd" \
    docs/results/peers/peers-s4-a.json
run --prefix peers-s4b --label Neo4jConcurrentThroughput="Neo4j 5.26.30" \
    --note "$M; PeerComparison session 4 run b, commit 1d724fd" \
    docs/results/peers/peers-s4-b.json
run --prefix peers-s4c --label Neo4jConcurrentThroughput="Neo4j 5.26.30" \
    --note "$M; PeerComparison session 4 run c, the same 10 s single-threaded warm-up for both engines, commit 727c1a5" \
    docs/results/peers/peers-s4-c.json
