"""Random bytes and mutated records into every entry point: each call returns or raises the
library's own error (`JianfuError`) or a `TypeError`/`ValueError` naming the argument — never
a crash, a hang or another exception. Seeded, so a failure reproduces."""

from __future__ import annotations

import json
import random
from typing import Any, Callable, List

import pytest

import jianfu
from conftest import ROOT

ITEM = json.loads((ROOT / "examples" / "items" / "app-download-drive.json").read_text(encoding="utf-8"))
EVENTS = (ROOT / "bindings" / "wasm" / "tests" / "fixtures" / "events.csv").read_text(encoding="utf-8")
SCHOOLS = (ROOT / "bindings" / "wasm" / "tests" / "fixtures" / "schools.csv").read_text(encoding="utf-8")
ACCEPTED = (jianfu.JianfuError, TypeError, ValueError)
ROUNDS = 150


def texts(rng: random.Random) -> List[str]:
    """Random text of several shapes: raw bytes decoded, a record cut and spliced, JSON values."""
    raw = bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
    record = json.dumps(ITEM, ensure_ascii=False)
    cut = rng.randrange(len(record))
    junk = raw.decode("latin-1")[: rng.randrange(8)]
    return [
        raw.decode("utf-8", "replace"),
        raw.decode("latin-1"),
        record[:cut] + junk + record[cut:],
        record[:cut],
        json.dumps(rng.choice([[], [1, 2], "x", 3.5, None, {"id": 1}, [ITEM, "x"]])),
    ]


def mutated(rng: random.Random) -> Any:
    """The example item with one field replaced by a random value."""
    item = dict(ITEM)
    key = rng.choice(list(item) + ["start", "end", "hours_per_teacher", "nonsense"])
    item[key] = rng.choice([None, -1, 1e308, float("nan"), "2026-13-01", [], {}, "", "x" * 300, [1], {"a": []}])
    return item


def calls(engine: jianfu.Engine, text: str, value: Any) -> List[Callable[[], Any]]:
    return [
        lambda: engine.check(text, "2026-03-02"),
        lambda: engine.check(value, "2026-03-02"),
        lambda: engine.check(ITEM, text),
        lambda: engine.check(ITEM, "2026-03-02", text),
        lambda: engine.check_many(text, "2026-03-02"),
        lambda: engine.check_many([value, ITEM], "2026-03-02"),
        lambda: engine.review(text, "2026-03-02"),
        lambda: engine.check_plan(text, "2026-03-02"),
        lambda: engine.explain(text),
        lambda: jianfu.Engine.from_string(text, "random.toml"),
        lambda: engine.score(jianfu.Tables(text, SCHOOLS), text),
        lambda: engine.score(jianfu.Tables(EVENTS, text), "2026-spring-1"),
        lambda: engine.monitor(jianfu.Tables(EVENTS, SCHOOLS), "2026-spring-1", ladder=text),
    ]


@pytest.mark.parametrize("seed", range(4))
def test_random_input_never_crashes(engine: jianfu.Engine, seed: int) -> None:
    rng = random.Random(seed)
    outcomes = {"returned": 0, "refused": 0}
    for _ in range(ROUNDS // 4):
        for text in texts(rng):
            for call in calls(engine, text, mutated(rng)):
                try:
                    call()
                    outcomes["returned"] += 1
                except ACCEPTED:
                    outcomes["refused"] += 1
    # Both outcomes occur: the inputs are neither all rejected nor all accepted.
    assert outcomes["returned"] > 0 and outcomes["refused"] > 0, outcomes
    # The engine still checks correctly afterwards.
    assert engine.check(ITEM, "2026-03-02").decision == "prohibited"
