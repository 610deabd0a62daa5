#!/usr/bin/env python3
"""Regenerates data/catalog.json.gz, the catalog of every Genesys Cloud operation and model,
from the official SDK packages:

- the Python SDK (PyPI `PureCloudPlatformClientV2`): each `apis/*_api.py` gives every
  operation's method, path, parameters (wire name, kind, required, type), return type, body
  media types and `Accept`; each `models/*.py` gives a model's fields (wire name, type, the
  vendor's description, enum values);
- the JavaScript SDK (npm `purecloud-platform-client-v2`): each `api/*Api.js` gives the list
  format (`multi`, `csv`) of every list parameter, which the Python package does not keep (its
  ApiClient joins every list with commas); `index.d.ts` gives which model fields are required.

From both it records each operation's shape (`shape.py`): how it pages and where its items
are, its body's and answer's media types, and whether a POST only reads.

    python3 catalog/generate.py                       # the newest versions
    python3 catalog/generate.py --python 269.0.0 --javascript 262.0.0

The output is deterministic for given versions (sorted keys, no gzip timestamp).
"""

import argparse
import ast
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shape  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data", "catalog.json.gz")

METHOD_RE = re.compile(r"^    def (\w+)\(self[^)]*\)(?: -> [^:]+)?:\n", re.M)
PATH_RE = re.compile(r"resource_path = '([^']+)'")
CALL_RE = re.compile(r"call_api\(resource_path, '(\w+)'")
KIND_RE = re.compile(r"(path|query|header)_params\['([^']+)'\] = params\['(\w+)'\]")
BODY_RE = re.compile(r"body_params = params\['(\w+)'\]")
REQUIRED_RE = re.compile(r"# verify the required parameter '(\w+)' is set")
DOC_PARAM_RE = re.compile(r":param (.+?) (\w+):")
DOC_PARAM_TEXT_RE = re.compile(r":param .+? (\w+): ?(.*)")
SUMMARY_RE = re.compile(r'"""\n(.*?)This method makes a synchronous', re.S)
RETURNS_RE = re.compile(r"response_type=(?:'([^']+)'|None)")
ACCEPT_RE = re.compile(r"select_header_accept\(\[([^\]]*)\]\)")
CONTENT_TYPE_RE = re.compile(r"select_header_content_type\(\[([^\]]*)\]\)")


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
                texts = {n: clean(t.removesuffix("(required)")) for n, t in DOC_PARAM_TEXT_RE.findall(body)}
                required = set(REQUIRED_RE.findall(body))
                params = []
                for kind, wire, python_name in KIND_RE.findall(body):
                    params.append(param(wire, kind, python_name, types, required, texts))
                body_param = BODY_RE.search(body)
                if body_param:
                    params.append(param("body", "body", body_param.group(1), types, required, texts))
                summary = SUMMARY_RE.search(body)
                returns = RETURNS_RE.search(body)
                operations[method.group(1)] = {
                    "method": verb.group(1),
                    "path": path.group(1),
                    "params": params,
                    "returns": returns.group(1) if returns and returns.group(1) else None,
                    "summary": clean(summary.group(1)) if summary else "",
                    "accept": media_types(ACCEPT_RE, body),
                    "content_type": media_types(CONTENT_TYPE_RE, body),
                }
            groups[class_name] = operations
    return groups


def media_types(pattern, body):
    found = pattern.search(body)
    return re.findall(r"'([^']+)'", found.group(1)) if found else []


def python_models(wheel):
    """{Model: {wire name: {type, description?, enum?}}} from the Python SDK's model classes,
    read as syntax trees (nothing of the package is run)."""
    models = {}
    with zipfile.ZipFile(wheel) as archive:
        for name in sorted(archive.namelist()):
            if not re.search(r"/models/\w+\.py$", name) or name.endswith("__init__.py"):
                continue
            tree = ast.parse(archive.read(name).decode())
            for node in tree.body:
                if isinstance(node, ast.ClassDef):
                    model = python_model(node)
                    if model is not None:
                        models[node.name] = model
    return models


def python_model(cls):
    """A model class's fields: `swagger_types` and `attribute_map` from `__init__`, each
    property's description from its getter's docstring, enum values from its setter's
    `allowed_values`."""
    types = attributes = None
    docs, enums = {}, {}
    for item in cls.body:
        if not isinstance(item, ast.FunctionDef):
            continue
        if item.name == "__init__":
            for stmt in item.body:
                if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Attribute):
                    if stmt.targets[0].attr == "swagger_types":
                        types = ast.literal_eval(stmt.value)
                    elif stmt.targets[0].attr == "attribute_map":
                        attributes = ast.literal_eval(stmt.value)
            continue
        getter = any(isinstance(d, ast.Name) and d.id == "property" for d in item.decorator_list)
        setter = any(isinstance(d, ast.Attribute) and d.attr == "setter" for d in item.decorator_list)
        if getter:
            lines = (ast.get_docstring(item, clean=True) or "").split("\n")[1:]
            text = []
            for line in lines:
                if line.startswith(":return:") or line.startswith(":rtype:"):
                    break
                text.append(line)
            docs[item.name] = "\n".join(text).strip()
        elif setter:
            for stmt in ast.walk(item):
                if (isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name)
                        and stmt.targets[0].id == "allowed_values"):
                    enums[item.name] = ast.literal_eval(stmt.value)
    if types is None or attributes is None:
        return None
    fields = {}
    for python_name, ty in types.items():
        field = {"type": ty, "required": False}
        if docs.get(python_name):
            field["description"] = docs[python_name]
        if python_name in enums:
            field["enum"] = enums[python_name]
        fields[attributes[python_name]] = field
    return fields


def javascript_required(tarball):
    """{Model: {required wire names}} from the JavaScript SDK's `index.d.ts`: a field without
    `?` in its interface is required."""
    required = {}
    interface_re = re.compile(r"^\texport interface (\w+) \{ *\n(.*?)^\t\}", re.M | re.S)
    field_re = re.compile(r'^\t\t"([^"]+)": ', re.M)
    with tarfile.open(tarball) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("/index.d.ts"))
        source = archive.extractfile(member).read().decode()
    models = source[source.index("declare namespace Models {"):]
    for name, body in interface_re.findall(models):
        required[name] = set(field_re.findall(body))
    return required


def param(wire, kind, python_name, types, required, texts):
    ty = types.get(python_name, "")
    found = {
        "name": wire,
        "in": kind,
        "required": python_name in required,
        "type": ty,
        "list": ty.startswith("list["),
    }
    if texts.get(python_name):
        found["description"] = texts[python_name]
    return found


def clean(text):
    """A docstring's text: lines stripped, blank lines dropped, `\\"` unescaped."""
    lines = [line.strip() for line in text.replace('\\"', '"').split("\n")]
    return "\n".join(line for line in lines if line)


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
        models = python_models(wheel)
        required = javascript_required(tarball)
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
    for name, fields in models.items():
        for wire in required.get(name, ()):
            if wire in fields:
                fields[wire]["required"] = True
    for group in groups.values():
        for operation in group.values():
            operation["shape"] = shape.of(operation, models)
    fields = sum(len(f) for f in models.values())
    catalog = {"sources": sources, "groups": groups, "operations": operations, "models": models}
    data = json.dumps(catalog, sort_keys=True, separators=(",", ":")).encode()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(data)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(buffer.getvalue())
    print(f"{OUT}: {operations} operations in {len(groups)} groups, {len(models)} models "
          f"({fields} fields), {len(data)} bytes of JSON, "
          f"{len(buffer.getvalue())} gzipped; from {sources['python']} and {sources['javascript']}")


if __name__ == "__main__":
    main()
