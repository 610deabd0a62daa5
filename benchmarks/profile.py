#!/usr/bin/env python3
"""Where a call's instructions go, by crate: callgrind's self cost per function, grouped by
the crate that defines the function, minus the same contender's run without calls
(`INSTRUCTIONS_CALLS=0`: the client made, nothing sent), divided by the calls made.

    python3 benchmarks/profile.py [--binary target/release/examples/instructions]
                                  [--workload sequential] [--markdown] CONTENDER...

A function belongs to the crate its demangled path starts with (the implementing type's
crate for `<T as Trait>::f`); the benchmark's own code (the harness and the hand-written
contenders) is "bench"; functions in libc.so are "libc". Generic code is counted where it
was instantiated from, so this is a guide to where time goes, not an exact bill.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

CALLS = 1140
COLUMNS = ["ours", "reqwest", "hyper", "http", "url", "serde", "tokio", "tracing", "std",
           "libc", "bench", "other"]
CRATES = {
    "genesys_runtime": "ours", "genesys_api_tokens": "ours", "genesys_cloud": "ours",
    "instructions": "bench", "genesys_benchmarks": "bench",
    "reqwest": "reqwest", "tower": "reqwest", "tower_http": "reqwest",
    "tower_service": "reqwest", "tower_layer": "reqwest",
    "hyper": "hyper", "hyper_util": "hyper", "h2": "hyper", "httparse": "hyper",
    "want": "hyper", "try_lock": "hyper",
    "http": "http", "http_body": "http", "http_body_util": "http", "bytes": "http",
    "url": "url", "idna": "url", "form_urlencoded": "url", "percent_encoding": "url",
    "serde": "serde", "serde_core": "serde", "serde_json": "serde", "itoa": "serde",
    "ryu": "serde", "memchr": "serde",
    "tokio": "tokio", "mio": "tokio", "futures_util": "tokio", "futures_core": "tokio",
    "futures_channel": "tokio", "pin_project_lite": "tokio", "slab": "tokio",
    "socket2": "tokio", "parking_lot": "tokio", "parking_lot_core": "tokio",
    "tracing": "tracing", "tracing_core": "tracing",
    "core": "std", "alloc": "std", "std": "std", "hashbrown": "std", "__rustc": "std",
}


def crate_of(function, obj):
    if "libc.so" in obj:
        return "libc"
    if "ld-linux" in obj or "vgpreload" in obj:
        return "other"
    name = function
    if ":" in name and name.split(":", 1)[0] in ("???",) or name.startswith("./"):
        name = name.split(":", 1)[1]
    name = re.sub(r"^(<|&|mut |dyn |\(|\[)+", "", name)
    head = name.split("::", 1)[0]
    return CRATES.get(head, "other")


def self_costs(binary, contender, workload, calls):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        env = dict(os.environ, INSTRUCTIONS_WORKLOAD=workload, INSTRUCTIONS_CALLS=str(calls))
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, contender],
            env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        text = subprocess.run(
            ["callgrind_annotate", "--inclusive=no", "--threshold=100", out],
            check=True, capture_output=True, text=True).stdout
    totals = dict.fromkeys(COLUMNS, 0)
    line_re = re.compile(r"^\s*([\d,]+)\s+\([^)]*\)\s+(.*?)(?:\s+\[(.*)\])?$")
    for line in text.splitlines():
        match = line_re.match(line)
        if not match or "PROGRAM TOTALS" in line:
            continue
        cost = int(match.group(1).replace(",", ""))
        function = match.group(2)
        if ":" in function:
            function = function.split(":", 1)[1] if function.startswith(("???", ".", "/")) else function
        totals[crate_of(function, match.group(3) or "")] += cost
    return totals


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/examples/instructions")
    parser.add_argument("--workload", default="sequential")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("contenders", nargs="+")
    args = parser.parse_args()
    rows = []
    for contender in args.contenders:
        base = self_costs(args.binary, contender, args.workload, 0)
        costs = self_costs(args.binary, contender, args.workload, CALLS)
        per_call = {c: (costs[c] - base[c]) / CALLS for c in COLUMNS}
        rows.append((contender, per_call))
    if args.markdown:
        print("| contender | " + " | ".join(COLUMNS) + " | total |")
        print("|---" * (len(COLUMNS) + 2) + "|")
    for contender, per_call in rows:
        total = sum(per_call.values())
        cells = [f"{round(per_call[c]):,}" for c in COLUMNS] + [f"{round(total):,}"]
        if args.markdown:
            print(f"| {contender} | " + " | ".join(cells) + " |")
        else:
            print(contender + ": " + ", ".join(f"{c} {v}" for c, v in zip(COLUMNS + ["total"], cells)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
