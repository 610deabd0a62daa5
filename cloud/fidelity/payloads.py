#!/usr/bin/env python3
"""Writes cloud/fidelity/payloads.json.gz: for every model of the catalog (those the
operations reach, and the notification topic payloads no operation reaches), the JSON the
official Python SDK sends for it with every field set, nested models too (each with
every field set, its own nested models left out: each model is also checked as a root), built with the SDK's own model classes (their setters
check enum values) and serialized by its own `ApiClient.sanitize_for_serialization`. The
generated models must decode each one and re-encode the same JSON
(`cargo test -p genesys-tests --test cloud_fidelity`).

    python3 cloud/fidelity/payloads.py        # installs the pinned SDK into a temporary dir

Deterministic for the pinned versions.
"""

import datetime
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CATALOG = os.path.join(ROOT, "catalog", "data", "catalog.json.gz")
OUT = os.path.join(HERE, "payloads.json.gz")
# The SDK and what it imports, pinned (installed with --no-deps: nothing else is resolved).
PINNED = ["PureCloudPlatformClientV2==269.0.0", "python-dateutil==4.0.0", "urllib3==2.8.0",
          "certifi==2026.10.19.post1", "tzdata==2026.6", "watchdog==7.1.0"]
DEPTH = 2
UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def reachable(catalog):
    models = catalog["models"]
    stack = []
    for operations in catalog["groups"].values():
        for op in operations.values():
            for ty in [p["type"] for p in op["params"]] + [op["returns"] or ""]:
                stack += [r for r in re.findall(r"[A-Z]\w*", ty) if r in models]
    seen = set()
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            for field in models[name].values():
                stack += [r for r in re.findall(r"[A-Z]\w*", field["type"]) if r in models]
    # And every other model: the notification topic payloads (cloud/generate.py's
    # `notification-topics`), which no operation reaches.
    return sorted(seen | set(models))


class Builder:
    def __init__(self, sdk, catalog):
        self.skipped = []
        self.sdk = sdk
        self.models = catalog["models"]

    def model(self, name, stack):
        cls = getattr(self.sdk.models, name)
        instance = cls()
        fields = self.models[name]
        for attribute, ty in instance.swagger_types.items():
            wire = instance.attribute_map[attribute]
            values = fields.get(wire, {}).get("enum")
            if values and ty == "int":
                # The SDK's setter turns a number into a string ("2") and would send that;
                # the API's type is an integer: set the number itself.
                setattr(instance, "_" + attribute, int(values[0]))
                continue
            value = values[0] if values else self.value(ty, stack)
            if value is not None:
                self.set(instance, attribute, ty, value)
        return instance

    def set(self, instance, attribute, ty, value):
        """Sets a field; a value the setter refuses is replaced by one its check names: the
        bound of a number, a string of the required length, a UUID for a pattern."""
        candidates, tried = [value], []
        while candidates:
            candidate = candidates.pop(0)
            if candidate in tried or len(tried) > 4:
                break
            tried.append(candidate)
            try:
                setattr(instance, attribute, candidate)
                return
            except ValueError as refused:
                message = str(refused)
                bound = re.search(r"`(-?[0-9.]+)`", message)
                if "length must be greater" in message and bound:
                    candidates.append("x" * int(bound.group(1)))
                elif "length must be less" in message:
                    candidates.append("t")
                elif "follow pattern" in message and candidate == value:
                    # What the SDK's patterns ask for: an id, digits, a colour.
                    candidates += [UUID, "123", "#a1b2c3"]
                elif bound and "value" in message:
                    number = float(bound.group(1))
                    candidates.append(number if ty == "float" else int(number))
                else:
                    break
        self.skipped.append(f"{type(instance).__name__}.{attribute}: {message}")

    def value(self, ty, stack):
        if ty == "str":
            return "text"
        if ty == "int":
            return 7
        if ty == "float":
            return 1.5
        if ty == "bool":
            return True
        if ty == "datetime":
            return datetime.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc)
        if ty == "date":
            return datetime.date(2026, 1, 2)
        if ty == "object":
            return {"key": "value"}
        inner = re.fullmatch(r"list\[(.*)\]", ty)
        if inner:
            item = self.value(inner.group(1), stack)
            return [] if item is None else [item]
        inner = re.fullmatch(r"dict\(str, (.*)\)", ty)
        if inner:
            item = self.value(inner.group(1), stack)
            return {} if item is None else {"key": item}
        if ty in self.models and len(stack) < DEPTH and ty not in stack:
            return self.model(ty, stack + [ty])
        return None


def main():
    with gzip.open(CATALOG) as f:
        catalog = json.load(f)
    with tempfile.TemporaryDirectory() as target:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "--no-deps", "--target", target] + PINNED, check=True)
        sys.path.insert(0, target)
        import PureCloudPlatformClientV2 as sdk
        from PureCloudPlatformClientV2.api_client import ApiClient
        client = ApiClient()
        builder = Builder(sdk, catalog)
        payloads = {}
        for name in reachable(catalog):
            payloads[name] = client.sanitize_for_serialization(builder.model(name, [name]))
    data = json.dumps({"source": "PureCloudPlatformClientV2 269.0.0 (PyPI)", "depth": DEPTH,
                       "unset": sorted(set(builder.skipped)), "payloads": payloads}, sort_keys=True, separators=(",", ":")).encode()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(data)
    with open(OUT, "wb") as f:
        f.write(buffer.getvalue())
    print(f"{OUT}: {len(payloads)} models, {len(data)} bytes of JSON, {len(buffer.getvalue())} gzipped; "
          f"{len(set(builder.skipped))} fields the SDK's setters refused every value for")


if __name__ == "__main__":
    main()
