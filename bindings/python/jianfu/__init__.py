"""jianfu (减负): China's primary/secondary school teacher burden-reduction rules as data.

Check items that departments want to push onto schools, review draft documents, check annual
inspection plans, and score the non-teaching burden that reaches schools and teachers. A thin
binding of the Rust core: every result is the JSON the core emits, behind typed attributes.

>>> import jianfu
>>> engine = jianfu.Engine()            # national → Henan → Sanmenxia
>>> v = engine.check({"id": "x", "kind": "campus_entry", "title": "反电诈APP下载推广进校园",
...                   "issuer": {"name": "三门峡市公安局", "kind": "other_department", "level": "city"},
...                   "targets": ["students"]}, as_of="2026-03-02")
>>> v.decision
'prohibited'
"""

from __future__ import annotations

import datetime
import threading
import sys
from typing import Any, Iterable, List, Optional, Tuple, Union

from ._jianfu import (
    Engine,
    Finding,
    Items,
    MonitorReport,
    Partial,
    PlanReport,
    Review,
    ReviewFinding,
    ScoreReport,
    Tables,
    Verdict,
    __version__,
    decode,
    labels,
    read_items,
)
from .errors import (
    DateInvalidError,
    ItemInvalidError,
    JianfuError,
    JianfuIOError,
    RowInvalidError,
    SchemaError,
    RulesetInvalidError,
    RulesetSyntaxError,
    UnknownPeriodError,
    UnknownJurisdictionError,
    InvalidArgumentError,
    PartialInvalidError,
    UnknownRuleError,
)

__all__ = [
    "Engine",
    "Verdict",
    "Finding",
    "Items",
    "Review",
    "ReviewFinding",
    "PlanReport",
    "ScoreReport",
    "Tables",
    "MonitorReport",
    "Partial",
    "JianfuError",
    "RulesetSyntaxError",
    "RulesetInvalidError",
    "ItemInvalidError",
    "RowInvalidError",
    "SchemaError",
    "DateInvalidError",
    "UnknownRuleError",
    "UnknownPeriodError",
    "UnknownJurisdictionError",
    "InvalidArgumentError",
    "PartialInvalidError",
    "JianfuIOError",
    "default_engine",
    "merge",
    "check",
    "review",
    "labels",
    "decode",
    "read_items",
    "demo_data",
    "__version__",
]

_default: Optional[Engine] = None
_lock = threading.Lock()


def default_engine() -> Engine:
    """The shared engine over the embedded ruleset (built once, on first use)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Engine()
    return _default


def check(item: Union[dict, str], as_of: Union[str, datetime.date, None] = None, register: Union[dict, str, None] = None) -> Verdict:
    """Checks one item on the default engine (see `Engine.check`); `as_of` defaults to today."""
    return default_engine().check(item, as_of, register)


def review(text: str, as_of: Union[str, datetime.date, None] = None) -> Review:
    """Reviews a draft document on the default engine (see `Engine.review`); `as_of` defaults
    to today."""
    return default_engine().review(text, as_of)


def demo_data(
    *, seed: int = 1, schools: int = 1200, semesters: Optional[List[str]] = None, frame: str = "pyarrow"
) -> Tuple[Any, Any]:
    """A generated city to try scoring on (示例数据), as ``(events, schools)`` tables of the
    library ``frame`` names (``"pyarrow"``, ``"pandas"``, ``"polars"``): the rows ``jianfu
    demo-data`` writes for the same seed (see `Engine.demo_data`).

    >>> events, schools = jianfu.demo_data(schools=50)
    >>> jianfu.default_engine().score(events, schools, "2026-spring-1").schools.num_rows
    50
    """
    return default_engine().demo_data(seed=seed, schools=schools, semesters=semesters, frame=frame)


def merge(partials: Iterable[Partial]) -> Partial:
    """All partials combined into one (``a.merge(b)`` in turn); the order does not matter.
    Raises ``PartialInvalidError`` when they do not combine, ``ValueError`` when there are none."""
    merged: Optional[Partial] = None
    for partial in partials:
        merged = partial if merged is None else merged.merge(partial)
    if merged is None:
        raise ValueError("merge() needs at least one partial")
    return merged


def _in_cluster_worker() -> bool:
    """Whether this code runs inside a Dask worker or a Spark task, where the engine's default
    is one thread (the worker's other cores run its other tasks)."""
    distributed = sys.modules.get("distributed")
    if distributed is not None:
        try:
            distributed.get_worker()
            return True
        except (ValueError, AttributeError):
            pass
    if "pyspark" in sys.modules:
        try:
            from pyspark import TaskContext

            if TaskContext.get() is not None:
                return True
        except ImportError:
            pass
    return False
