"""For every item case of the corpus, the whole verdict from Python equals, byte for byte, the
verdict the Rust CLI prints (`jianfu check --format json`)."""

from __future__ import annotations

import json
import pathlib
import subprocess
from collections import defaultdict
from typing import Any, Dict, List, Tuple

import jianfu
from conftest import CASES


def cli_verdicts(
    cli: pathlib.Path, tmp: pathlib.Path, items: List[Dict[str, Any]], as_of: str, register: Any, jurisdiction: Any = None
) -> List[str]:
    items_path = tmp / "items.jsonl"
    items_path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    args = [str(cli), "check", str(items_path), "--as-of", as_of, "--format", "json"]
    if register is not None:
        register_path = tmp / "register.json"
        register_path.write_text(json.dumps(register, ensure_ascii=False), encoding="utf-8")
        args += ["--register", str(register_path)]
    if jurisdiction is not None:
        args += ["--jurisdiction", jurisdiction]
    out = subprocess.run(args, capture_output=True, text=True, encoding="utf-8")
    assert out.returncode in (0, 1), out.stderr
    return out.stdout.splitlines()


def test_verdicts_equal_cli(engine: jianfu.Engine, cli: pathlib.Path, tmp_path: pathlib.Path) -> None:
    groups: Dict[Tuple[str, str, Any], List[Tuple[str, Dict[str, Any]]]] = defaultdict(list)
    for case_id, case in CASES:
        if "item" in case:
            key = (case.get("as_of", "2026-03-02"), json.dumps(case.get("register"), sort_keys=True), case.get("jurisdiction"))
            groups[key].append((case_id, case))
    compared = 0
    for (as_of, register_text, jurisdiction), cases in groups.items():
        register = json.loads(register_text)
        lines = cli_verdicts(cli, tmp_path, [c["item"] for _, c in cases], as_of, register, jurisdiction)
        assert len(lines) == len(cases)
        group_engine = engine if jurisdiction is None else jianfu.Engine(jurisdiction=jurisdiction)
        for (case_id, case), line in zip(cases, lines):
            verdict = group_engine.check(case["item"], as_of, register)
            assert verdict.to_json() == line, case_id
            assert verdict == json.loads(line), case_id
            assert verdict.to_dict() == json.loads(line), case_id
            compared += 1
    assert compared >= 100, compared
