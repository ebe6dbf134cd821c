"""Just enough of OpenAPI 3.0 for the contract tests: $ref resolution and validation of JSON
values against the schema subset api/openapi.json uses (type, nullable, enum, required,
properties, additionalProperties, items, allOf/anyOf/oneOf, minimum/maximum, pattern)."""
from __future__ import annotations

import re
from typing import Iterator

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


def resolve_pointer(doc: dict, ref: str):
    """Resolves a local JSON reference ('#/components/schemas/Video'); KeyError if dangling."""
    if not ref.startswith("#/"):
        raise KeyError(f"only local references are supported: {ref}")
    node = doc
    for token in ref[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[token]
    return node


def deref(doc: dict, node):
    """Follows $ref chains."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            raise KeyError(f"reference cycle at {ref}")
        seen.add(ref)
        node = resolve_pointer(doc, ref)
    return node


def all_refs(node, path: str = "#") -> Iterator[tuple[str, str]]:
    """(location, target) of every $ref in a document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield path, value
            else:
                yield from all_refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from all_refs(value, f"{path}/{i}")


def errors(doc: dict, schema, value, path: str = "$") -> list[str]:
    """Every way `value` breaks `schema` (empty when it conforms)."""
    schema = deref(doc, schema)
    if value is None and schema.get("nullable"):
        return []
    out: list[str] = []
    for sub in schema.get("allOf", []):
        out += errors(doc, sub, value, path)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            matches = sum(not errors(doc, sub, value, path) for sub in schema[key])
            if matches == 0 or (key == "oneOf" and matches > 1):
                out.append(f"{path}: {matches} of the {key} alternatives match")
    expected = schema.get("type")
    if expected and not _TYPES[expected](value):
        return out + [f"{path}: expected {expected}{' or null' if schema.get('nullable') else ''},"
                      f" got {type(value).__name__} {value!r:.80}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} not in {schema['enum']}")
    if _TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{path}: {value} < minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            out.append(f"{path}: {value} > maximum {schema['maximum']}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        out += _object_errors(doc, schema, value, path)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            out += errors(doc, schema["items"], item, f"{path}[{i}]")
    return out


def _object_errors(doc: dict, schema: dict, value: dict, path: str) -> list[str]:
    out = [f"{path}: missing required field {name!r}"
           for name in schema.get("required", []) if name not in value]
    props = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in props:
            out += errors(doc, props[name], item, f"{path}.{name}")
        elif extra is False:
            out.append(f"{path}: unexpected field {name!r}")
        elif isinstance(extra, dict):
            out += errors(doc, extra, item, f"{path}.{name}")
    return out
