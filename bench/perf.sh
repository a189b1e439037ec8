#!/usr/bin/env bash
# The performance suite: runs the JMH benchmarks and rewrites the tables in bench/README.md and README.md.
#   bench/perf.sh                 the whole suite (about 8 minutes on 2 cores)
#   bench/perf.sh -f 1 -wi 1 -i 3 JMH options pass through (fewer iterations: faster, wider errors)
set -euo pipefail
cd "$(dirname "$0")/.."
./attrib4j --version >/dev/null   # builds the jars when needed
cp="bench/target/classes:bench/target/lib/*"
export ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-AVX}  # see README, Requirements
java -Dai.djl.offline=true -cp "$cp" org.openjdk.jmh.Main "IgVsRawBenchmark|MethodCostBenchmark" \
  -rf json -rff bench/target/jmh.json "$@"
java -cp "$cp" io.attrib4j.bench.PerfTable bench/target/jmh.json bench/README.md README.md
