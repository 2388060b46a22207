#!/usr/bin/env python3
"""Regenerates the encoded-rules table in README.md from `jianfu rules list --format json`.

Usage: cargo run -q -p jianfu-cli -- rules list --format json | scripts/readme-rules.py
"""
import json
import pathlib
import sys

rows = ["| id | layer | title | source | applies to |", "|---|---|---|---|---|"]
for r in json.load(sys.stdin):
    applies = ", ".join(r["kinds"]) or "all kinds"
    if r["scope"] != "item":
        applies = f"{r['scope']}" + (f" ({applies})" if r["kinds"] else "")
    rows.append(
        f"| {r['id']} | {r['layer']} | {r['title']['zh']} — {r['title']['en']} "
        f"| {r['citation']['document']} {r['citation']['article']} | {applies} |"
    )
readme = pathlib.Path(__file__).resolve().parent.parent / "README.md"
text = readme.read_text(encoding="utf-8")
begin, end = "<!-- rules:begin -->", "<!-- rules:end -->"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
readme.write_text(head + begin + "\n" + "\n".join(rows) + "\n" + end + tail, encoding="utf-8")
