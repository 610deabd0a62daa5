#!/usr/bin/env bash
# Every benchmark in one run (about 5 minutes on 2 cores from a cold cache):
#   1. per-call latency, 2. throughput with 64 callers, 3. request building and decoding with
#   allocation counts (divan, counting allocator), 4. compile time of 20 and 200 endpoints,
#   5. instruction counts (callgrind): calls, a no-op hook, listings per item, a stub client,
#   and a profile by crate, a bulk job under a rate limit (benchmarks/examples/rate_limit.rs),
#   6. a fresh release build of genesys-api-tokens.
# Then 7. genesys-cloud's build times (benchmarks/cloud_build.sh, about 25 minutes more;
# skipped with GENESYS_BENCH_SKIP_CLOUD_BUILD=1).
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

# Instruction counts are repeatable where wall-clock time on a shared 2-core machine is not.
if command -v valgrind >/dev/null; then
  cargo build -q --release -p genesys-benchmarks --example instructions
  {
    echo "## instructions: valgrind --tool=callgrind, 1,140 calls (client only: the server is another process)"
    echo "   (per call: a run minus the same contender's run with INSTRUCTIONS_CALLS=0, over the calls)"
    count() { # contender workload [calls]
      INSTRUCTIONS_WORKLOAD=$2 INSTRUCTIONS_CALLS=${3:-1140} valgrind --tool=callgrind \
        --callgrind-out-file=/dev/null target/release/examples/instructions "$1" 2>&1 |
        sed -n 's/.*Collected : //p'
    }
    for workload in sequential concurrent; do
      echo "-- $workload (concurrent: rounds of 64 tasks)"
      for contender in generated hand_written hook cloud cloud_hand_written bare_hyper; do
        base=$(count "$contender" "$workload" 0)
        total=$(count "$contender" "$workload")
        echo "$contender: $(( (total - base) / 1140 )) per call"
      done
    done
    echo "-- listings: 4 pages of 25 users per listing, 1,140 pages, 28,500 users"
    for workload in sequential concurrent; do
      for contender in listing hand_written_listing; do
        base=$(count "$contender" "$workload" 0)
        total=$(count "$contender" "$workload")
        echo "$contender ($workload): $(( (total - base) / 28500 )) per user, $(( (total - base) / 1140 )) per page"
      done
    done
    echo "stub: $(( $(count stub mixed) - $(count none mixed) )) instructions to make a client over Stubs and complete one stubbed call"
    echo "-- where a sequential call's instructions go, by crate (benchmarks/profile.py)"
    python3 benchmarks/profile.py --markdown generated hand_written hook
  } 2>&1 | tee -a "$out"
else
  echo "valgrind not installed: instruction counts skipped (apt-get install valgrind)" | tee -a "$out"
fi

# A bulk job against a server that limits the token to 50 requests a second: this client without
# a shared budget, with the default one, with the known pace, and the official Python SDK
# (about 4.5 minutes; the SDK is installed into target/python-sdk on first use).
{
  echo "## rate limits: cargo run --release -p genesys-benchmarks --example rate_limit"
  cargo run -q --release -p genesys-benchmarks --example rate_limit
} 2>&1 | tee -a "$out"

# What a new user waits for: genesys-api-tokens with its default features, from nothing.
{
  echo "## fresh release build: cargo build --release -p genesys-api-tokens (empty target dir)"
  fresh=$(mktemp -d)
  cargo fetch -q
  started=$(date +%s%N)
  CARGO_TARGET_DIR="$fresh" cargo build -q --release -p genesys-api-tokens
  echo "$(( ($(date +%s%N) - started) / 1000000 )) ms"
  rm -rf "$fresh"
} 2>&1 | tee -a "$out"

# What the generated crate costs to build, next to genesys-api-tokens.
if [ "${GENESYS_BENCH_SKIP_CLOUD_BUILD:-0}" != 1 ]; then
  bash benchmarks/cloud_build.sh 2>&1 | tee -a "$out"
fi
