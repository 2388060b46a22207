"""Shared fixtures: the repository root, the corpora, the default engine, the Rust CLI."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
from typing import Any, Dict, List, Tuple

import pytest

import jianfu

ROOT = pathlib.Path(__file__).resolve().parents[3]
CASES_DIR = ROOT / "tests" / "cases"
SCORING_DIR = ROOT / "tests" / "scoring"


def load_corpus(directory: pathlib.Path) -> List[Tuple[str, Dict[str, Any]]]:
    """Every case of every `*.json` file in `directory`, as (id, case), in file order."""
    cases = []
    for path in sorted(directory.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            cases.append((f"{path.name}: {case.get('name', '<unnamed>')}", case))
    return cases


CASES = load_corpus(CASES_DIR)
SCORING = load_corpus(SCORING_DIR)


@pytest.fixture(scope="session")
def engine() -> jianfu.Engine:
    """The embedded engine (national → Henan → Sanmenxia)."""
    return jianfu.Engine()


@pytest.fixture(scope="session")
def cli() -> pathlib.Path:
    """The Rust `jianfu` command: `$JIANFU_CLI`, or target/{debug,release}/jianfu, built
    with cargo if neither exists."""
    if os.environ.get("JIANFU_CLI"):
        return pathlib.Path(os.environ["JIANFU_CLI"])
    for profile in ("debug", "release"):
        path = ROOT / "target" / profile / "jianfu"
        if path.exists():
            return path
    subprocess.run(["cargo", "build", "-p", "jianfu-cli"], cwd=ROOT, check=True)
    return ROOT / "target" / "debug" / "jianfu"
