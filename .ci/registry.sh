#!/usr/bin/env bash
# Users' crates as they build when our crates come from a registry instead of a path.
#
#   bash .ci/registry.sh <dir> <user crate>...
#
# copies each `tests/<user crate>` into <dir>, turns every path dependency on our crates into
# the published version, and points it at a registry simulated offline: our published crates
# packaged by `cargo package` and unpacked into a vendored directory source, beside every
# third-party crate the user crates need, replacing crates.io. Then
# `GENESYS_USER_CRATES=<dir> cargo test -p genesys-tests --test <its test>` runs the very tests
# of `cargo test --workspace` on the copies (`genesys_tests::cargo_test_outside`).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n 1)
out=$(cd "$1" && pwd)
shift
vendor="$out/vendor"
ours=(genesys-macros genesys-runtime genesys-cloud genesys-notifications genesys-api-tokens genesys-catalog)

# Every third-party crate the user crates build with (our crates are path dependencies in
# their manifests, so they are not among them).
sync=()
for name in "${@:2}"; do
  sync+=(--sync "$repo/tests/$name/Cargo.toml")
done
cargo vendor --quiet --locked --manifest-path "$repo/tests/$1/Cargo.toml" "${sync[@]}" \
  "$vendor" > /dev/null

# Our crates as a registry serves them: the packaged `.crate`, unpacked, with its checksum.
packages=()
for name in "${ours[@]}"; do
  packages+=(-p "$name")
done
(cd "$repo" && cargo package --quiet --allow-dirty --no-verify "${packages[@]}")
for name in "${ours[@]}"; do
  file="$repo/target/package/$name-$version.crate"
  rm -rf "${vendor:?}/$name-$version"
  tar -xzf "$file" -C "$vendor"
  printf '{"files":{},"package":"%s"}' "$(sha256sum "$file" | cut -d' ' -f1)" \
    > "$vendor/$name-$version/.cargo-checksum.json"
done

mkdir -p "$out/.cargo"
cat > "$out/.cargo/config.toml" <<EOF
[source.crates-io]
replace-with = "vendored"
[source.vendored]
directory = "$vendor"
[net]
offline = true
EOF

for name in "$@"; do
  user="$out/$name"
  rm -rf "$user"
  cp -r "$repo/tests/$name" "$user"
  rm -rf "$user/Cargo.lock" "$user/target"
  # `path = "../../runtime"` (any of ours) becomes `version = "=<the workspace's version>"`.
  sed -i -E "s|path = \"\.\./\.\./[a-z-]+\"|version = \"=$version\"|" "$user/Cargo.toml"
  if grep -q 'path = ' "$user/Cargo.toml"; then
    echo "error: tests/$name/Cargo.toml has a path dependency that is not one of ours; update $0" >&2
    exit 1
  fi
  # A lockfile from the vendored registry alone (the tests run with --locked where they ask).
  (cd "$user" && cargo generate-lockfile --quiet --offline)
  # Every one of our crates in its build comes from the registry, none from a path.
  tree=$(cd "$user" && cargo tree --quiet --offline --prefix none -e normal,build,dev | sort -u)
  if echo "$tree" | grep -E '^genesys-[a-z-]+ v' | grep -q '(/'; then
    echo "error: $name still builds one of our crates from a path:" >&2
    echo "$tree" | grep -E '^genesys-[a-z-]+ v.*\(/' >&2
    exit 1
  fi
  from=$(echo "$tree" | grep -E '^genesys-[a-z-]+ v' | grep -v '(\*)' | tr '\n' ' ')
  echo "$name: ${from:-none of our crates}from the vendored registry"
  if [ -z "$from" ]; then
    echo "error: $name depends on none of our crates" >&2
    exit 1
  fi
done
