#!/usr/bin/env bash
# Every benchmark in one run (about 5 minutes on 2 cores from a cold cache):
#   1. per-call latency, 2. throughput with 64 callers, 3. request building and decoding with
#   allocation counts (divan, counting allocator), 4. compile time of 20 and 200 endpoints.
# Output: the terminal and target/benchmarks.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/benchmarks.txt
mkdir -p target
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(rustc --version)"
  echo "## runtime: cargo bench -p genesys-benchmarks --bench calls"
  cargo bench -q -p genesys-benchmarks --bench calls
  echo "## compile time: python3 benchmarks/compile_time.py"
  python3 benchmarks/compile_time.py --runs 3
} 2>&1 | tee "$out"
