#!/usr/bin/env bash
# Build times of genesys-cloud (the generated groups), next to genesys-api-tokens's: fresh
# release builds from an empty target directory (dependencies included, as a new user waits),
# the build with every group, and the incremental rebuild after touching one declaration.
# Called by benchmarks/run.sh; about 25 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fetch -q

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

fresh() { # label, cargo build arguments...
  local label=$1 dir started
  shift
  dir=$(mktemp -d)
  started=$(date +%s%N)
  CARGO_TARGET_DIR="$dir" cargo build -q --release "$@"
  echo "$label: $(ms_since "$started") ms"
  rm -rf "$dir"
}

echo "## fresh release builds (empty target dir, dependencies included)"
fresh "genesys-api-tokens (default features)" -p genesys-api-tokens
fresh "genesys-cloud --features users (130 operations)" -p genesys-cloud --features users
fresh "genesys-cloud --features full (3,508 operations)" -p genesys-cloud --features full

echo "## incremental rebuild (dev profile) after touching one declaration (cloud/src/groups/users.rs)"
dir=target/cloud-incremental
for features in users full; do
  cargo build -q -p genesys-cloud --features "$features" --target-dir "$dir"
  touch cloud/src/groups/users.rs
  started=$(date +%s%N)
  cargo build -q -p genesys-cloud --features "$features" --target-dir "$dir"
  echo "genesys-cloud --features $features: $(ms_since "$started") ms"
done
