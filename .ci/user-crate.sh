#!/usr/bin/env bash
# Builds a user's crate outside this workspace, as the genesys-api-tokens README tells a new
# user to: its `[dependencies]` are the README's TOML block (with our crates taken from this
# checkout by `[patch.crates-io]`, so it sees only what is published), `src/main.rs` is the
# README's first Rust example, and `tests/readme_N.rs` are the README's `#[tokio::test]`
# examples (the stubs, the fake), each compiled and run as the test it is.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
readme="$repo/api-tokens/README.md"
work=$(mktemp -d)
app="$work/user-app"
mkdir -p "$app/src" "$app/tests"

# The n-th fenced block of a language (1-based), without its fences.
block() { # lang n
  awk -v lang="$1" -v n="$2" '
    /^```/ { if (inside) { inside = 0; next } split(substr($0, 4), info, ","); if (info[1] == lang && ++seen == n) { inside = 1; next } }
    inside { print }' "$readme"
}
# The n-th Rust block containing a pattern (1-based).
block_with() { # pattern n
  awk -v pat="$1" -v n="$2" '
    /^```rust/ { inside = 1; text = ""; next }
    /^```/ && inside { inside = 0; if (index(text, pat) && ++seen == n) { printf "%s", text; exit } next }
    inside { text = text $0 "\n" }' "$readme"
}

{
  printf '[package]\nname = "user-app"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
  block toml 1
  printf '\n[dev-dependencies]\ngenesys-api-tokens = { version = "0.1", features = ["fake"] }\n'
  printf '\n[patch.crates-io]\n'
  printf 'genesys-api-tokens = { path = "%s/api-tokens" }\n' "$repo"
  printf 'genesys-runtime = { path = "%s/runtime" }\n' "$repo"
  printf 'genesys-macros = { path = "%s/macros" }\n' "$repo"
  printf '\n[workspace]\n'
} > "$app/Cargo.toml"
block rust 1 > "$app/src/main.rs"
block_with '#[tokio::test]' 1 > "$app/tests/readme_1.rs"
block_with '#[tokio::test]' 2 > "$app/tests/readme_2.rs"
for f in src/main.rs tests/readme_1.rs tests/readme_2.rs; do
  [ -s "$app/$f" ] || { echo "user-crate: no README block for $f" >&2; exit 1; }
done
echo "user crate at $app:"; sed 's/^/  /' "$app/Cargo.toml"

export CARGO_TARGET_DIR="$repo/target/outside" # shared with the other user crates
cp "$repo/Cargo.lock" "$app/Cargo.lock" # the versions this checkout was tested with
(cd "$app" && cargo build --all-targets && cargo test)
rm -rf "$work"
