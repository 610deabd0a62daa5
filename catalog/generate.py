#!/usr/bin/env python3
"""Regenerates data/operations.json.gz, the catalog of every Genesys Cloud operation, from the
official SDK packages:

- the Python SDK (PyPI `PureCloudPlatformClientV2`): each `apis/*_api.py` gives every
  operation's method, path, parameters (wire name, kind, required, type) and return type;
- the JavaScript SDK (npm `purecloud-platform-client-v2`): each `api/*Api.js` gives the list
  format (`multi`, `csv`) of every list parameter, which the Python package does not keep (its
  ApiClient joins every list with commas).

    python3 catalog/generate.py                       # the newest versions
    python3 catalog/generate.py --python 269.0.0 --javascript 262.0.0

The output is deterministic for given versions (sorted keys, no gzip timestamp).
"""

import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data", "operations.json.gz")

METHOD_RE = re.compile(r"^    def (\w+)\(self[^)]*\)(?: -> [^:]+)?:\n", re.M)
PATH_RE = re.compile(r"resource_path = '([^']+)'")
CALL_RE = re.compile(r"call_api\(resource_path, '(\w+)'")
KIND_RE = re.compile(r"(path|query|header)_params\['([^']+)'\] = params\['(\w+)'\]")
BODY_RE = re.compile(r"body_params = params\['(\w+)'\]")
REQUIRED_RE = re.compile(r"# verify the required parameter '(\w+)' is set")
DOC_PARAM_RE = re.compile(r":param (.+?) (\w+):")
RETURNS_RE = re.compile(r"response_type=(?:'([^']+)'|None)")


def download(workdir, python_version, js_version):
    spec = "PureCloudPlatformClientV2" + (f"=={python_version}" if python_version else "")
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", workdir, spec], check=True)
    wheel = next(os.path.join(workdir, f) for f in os.listdir(workdir) if f.endswith(".whl"))
    package = "purecloud-platform-client-v2" + (f"@{js_version}" if js_version else "")
    subprocess.run(["npm", "pack", "--silent", package], check=True, cwd=workdir, stdout=subprocess.DEVNULL)
    tarball = next(os.path.join(workdir, f) for f in os.listdir(workdir) if f.endswith(".tgz"))
    return wheel, tarball


def version_of(filename):
    return re.search(r"-(\d+\.\d+\.\d+)", os.path.basename(filename)).group(1)


def python_operations(wheel):
    """{GroupApi: {operation: {...}}} from the Python SDK."""
    groups = {}
    with zipfile.ZipFile(wheel) as archive:
        for name in sorted(archive.namelist()):
            match = re.search(r"/apis/(\w+)_api\.py$", name)
            if not match:
                continue
            source = archive.read(name).decode()
            class_name = re.search(r"^class (\w+)\(", source, re.M).group(1)
            starts = [m for m in METHOD_RE.finditer(source)]
            operations = {}
            for i, method in enumerate(starts):
                body = source[method.start(): starts[i + 1].start() if i + 1 < len(starts) else len(source)]
                path, verb = PATH_RE.search(body), CALL_RE.search(body)
                if not path or not verb:
                    continue
                types = {n: t for t, n in DOC_PARAM_RE.findall(body)}
                required = set(REQUIRED_RE.findall(body))
                params = []
                for kind, wire, python_name in KIND_RE.findall(body):
                    params.append(param(wire, kind, python_name, types, required))
                body_param = BODY_RE.search(body)
                if body_param:
                    params.append(param("body", "body", body_param.group(1), types, required))
                returns = RETURNS_RE.search(body)
                operations[method.group(1)] = {
                    "method": verb.group(1),
                    "path": path.group(1),
                    "params": params,
                    "returns": returns.group(1) if returns and returns.group(1) else None,
                }
            groups[class_name] = operations
    return groups


def param(wire, kind, python_name, types, required):
    ty = types.get(python_name, "")
    return {
        "name": wire,
        "in": kind,
        "required": python_name in required,
        "type": ty,
        "list": ty.startswith("list["),
    }


def javascript_formats(tarball):
    """{(METHOD, path): {wire name: format}} from the JavaScript SDK."""
    formats = {}
    call_re = re.compile(r"callApi\(\s*'([^']+)',\s*'(\w+)',\s*\{[^}]*\},\s*\{([^}]*)\}", re.S)
    param_re = re.compile(r"'([^']+)': this\.apiClient\.buildCollectionParam\([^,]+, '(\w+)'\)")
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if not re.search(r"/api/\w+Api\.js$", member.name):
                continue
            source = archive.extractfile(member).read().decode()
            for path, verb, query in call_re.findall(source):
                formats[(verb, path)] = dict(param_re.findall(query))
    return formats


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", help="PureCloudPlatformClientV2 version (default: newest)")
    parser.add_argument("--javascript", help="purecloud-platform-client-v2 version (default: newest)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        wheel, tarball = download(workdir, args.python, args.javascript)
        groups = python_operations(wheel)
        formats = javascript_formats(tarball)
        sources = {
            "python": f"PureCloudPlatformClientV2 {version_of(wheel)} (PyPI)",
            "javascript": f"purecloud-platform-client-v2 {version_of(tarball)} (npm)",
        }
    operations = 0
    for group in groups.values():
        for operation in group.values():
            operations += 1
            known = formats.get((operation["method"], operation["path"]), {})
            for p in operation["params"]:
                if p["list"] and p["in"] == "query":
                    p["format"] = known.get(p["name"])
    catalog = {"sources": sources, "groups": groups, "operations": operations}
    data = json.dumps(catalog, sort_keys=True, separators=(",", ":")).encode()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(data)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(buffer.getvalue())
    print(f"{OUT}: {operations} operations in {len(groups)} groups, {len(data)} bytes of JSON, "
          f"{len(buffer.getvalue())} gzipped; from {sources['python']} and {sources['javascript']}")


if __name__ == "__main__":
    main()
