#!/usr/bin/env bash
# A user's compile-fail snapshots must not depend on how our crates were installed: runs
# `tests/user-declarations` (its own trybuild cases and committed `.stderr` files) with the
# runtime and the macros taken from a registry instead of a path. The registry is simulated
# offline: our crates packaged by `cargo package` and unpacked into a vendored directory
# source beside every third-party crate the user crate needs, which replaces crates.io.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
user="$work/user-declarations"
vendor="$work/vendor"

# Every third-party crate the user crate builds with (our crates are path dependencies there,
# so they are not among them).
cargo vendor --quiet --locked --manifest-path "$repo/tests/user-declarations/Cargo.toml" \
  "$vendor" > /dev/null

# Our crates as a registry serves them: the packaged `.crate`, unpacked, with its checksum.
(cd "$repo" && cargo package --quiet --allow-dirty --no-verify -p genesys-macros -p genesys-runtime)
for name in genesys-macros genesys-runtime; do
  file="$repo/target/package/$name-$version.crate"
  tar -xzf "$file" -C "$vendor"
  printf '{"files":{},"package":"%s"}' "$(sha256sum "$file" | cut -d' ' -f1)" \
    > "$vendor/$name-$version/.cargo-checksum.json"
done

# The user crate, depending on the runtime by version instead of by path, offline.
cp -r "$repo/tests/user-declarations" "$user"
rm -rf "$user/Cargo.lock" "$user/target"
sed -i "s|genesys = { package = \"genesys-runtime\", path = \"../../runtime\" }|genesys = { package = \"genesys-runtime\", version = \"=$version\" }|" \
  "$user/Cargo.toml"
if grep -q 'path = ' "$user/Cargo.toml"; then
  echo "error: tests/user-declarations/Cargo.toml still has a path dependency; update this script" >&2
  exit 1
fi
mkdir -p "$user/.cargo"
cat > "$user/.cargo/config.toml" <<EOF
[source.crates-io]
replace-with = "vendored"
[source.vendored]
directory = "$vendor"
[net]
offline = true
EOF
cd "$user"
from=$(cargo tree --quiet --depth 1 --prefix none | grep '^genesys-runtime ')
case "$from" in
  *"("*) echo "error: the runtime did not come from the registry: $from" >&2; exit 1 ;;
esac
echo "runtime from the vendored registry: $from"

# The same snapshots, unchanged.
CARGO_TARGET_DIR="$user/target" cargo test --quiet --test compile_fail -- --nocapture 2>&1 \
  | tee "$work/log"
cases=$(find "$user/tests/compile-fail" -name '*.rs' | wc -l)
ok=$(grep -c 'tests/compile-fail/.*ok' "$work/log" || true)
if [ "$ok" != "$cases" ] || [ "$cases" -lt 11 ]; then
  echo "error: $ok of $cases compile-fail cases passed with the runtime from a registry" >&2
  exit 1
fi
echo "$cases compile-fail snapshots pass unchanged with the runtime from a registry"
