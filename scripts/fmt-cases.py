#!/usr/bin/env python3
"""Rewrites conformance case files in the corpus's house layout: one key per line down to an
item's (or plan's, or register's) fields, each field's value on one line.

    python3 scripts/fmt-cases.py tests/cases/dates.json [...]
"""
import json
import sys


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def block(value, indent, depth):
    """A dict or list laid out `depth` levels deep, compact below that."""
    pad = " " * indent
    if depth == 0 or not isinstance(value, (dict, list)) or not value:
        return compact(value)
    inner = " " * (indent + 2)
    if isinstance(value, list):
        rows = [inner + block(v, indent + 2, depth - 1) for v in value]
        return "[\n" + ",\n".join(rows) + "\n" + pad + "]"
    rows = []
    for key, v in value.items():
        # Registers list their items one per line; items and plans their fields.
        nested = {"item": 1, "plan": 1, "register": 2}.get(key, 0) if indent == 2 else 0
        if indent == 4 and key in ("items", "plans", "entries"):
            nested = 1
        rows.append(f"{inner}{compact(key)}: {block(v, indent + 2, nested)}")
    return "{\n" + ",\n".join(rows) + "\n" + pad + "}"


for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        cases = json.load(f)
    text = "[\n" + ",\n".join("  " + block(c, 2, 1) for c in cases) + "\n]\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
