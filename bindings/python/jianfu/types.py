"""The JSON shapes the core emits (DESIGN.md §3), as TypedDicts for type checkers.

`Verdict.to_dict()` returns a `VerdictDict`, `Finding.to_dict()` a `FindingDict`, and so on.
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, TypedDict

Decision = Literal["allowed", "needs_approval", "incomplete", "prohibited"]
"""A verdict's or finding's decision, least to most severe."""

Step = Literal[
    "secretariat_review",
    "leader_review",
    "group_head_signoff",
    "party_committee_approval",
    "education_consent",
    "party_committee_filing",
]
"""An approval step."""


class Text(TypedDict):
    """A message in Chinese and English."""

    zh: str
    en: str


class Citation(TypedDict):
    """A rule's source: document id, title and article."""

    document: str
    title: str
    article: str


class _EvidenceBase(TypedDict):
    field: str


class Evidence(_EvidenceBase, total=False):
    """What made a rule fire: a field, the words matched and their character span."""

    text: str
    span: List[int]


class RulesetInfo(TypedDict):
    """The ruleset that decided."""

    id: str
    version: str
    digest: str


_RuleVersionBase = TypedDict(
    "_RuleVersionBase",
    {
        "from": str,
        "on": str,
        "governs": Literal["activity", "notice", "filing", "review"],
    },
)


class RuleVersion(_RuleVersionBase, total=False):
    """The rule version a finding used: its window (`from`, `to` when it ended), the item's day
    it was read on, and which of the item's dates that day is."""

    to: str


class _FindingBase(TypedDict):
    rule: str
    decision: Decision
    message: Text
    citation: Citation
    evidence: List[Evidence]
    remedy: Text
    version: RuleVersion


class FindingDict(_FindingBase, total=False):
    """One rule that fired on an item."""

    related: List[str]
    advisory: bool


class VerdictDict(TypedDict):
    """The verdict on one item."""

    format_version: int
    item: str
    decision: Decision
    findings: List[FindingDict]
    missing: List[str]
    next_step: Optional[str]
    as_of: str
    ruleset: RulesetInfo


class Clause(TypedDict):
    """A sentence of a draft with its character span."""

    span: List[int]
    text: str


class _ReviewFindingBase(TypedDict):
    rule: str
    decision: Decision
    message: Text
    citation: Citation
    evidence: List[Evidence]
    remedy: Text


class ReviewFindingDict(_ReviewFindingBase, total=False):
    """One clause of a draft that imposes burden."""

    clause: Clause


class ReviewDict(TypedDict):
    """The review of a draft."""

    format_version: int
    chars: int
    decision: Decision
    findings: List[ReviewFindingDict]
    as_of: str
    ruleset: RulesetInfo


class PlanReportDict(TypedDict):
    """The report on an annual inspection plan."""

    format_version: int
    plan: str
    decision: Decision
    verdicts: List[VerdictDict]
    as_of: str


class Location(TypedDict, total=False):
    """Where an error was found."""

    source: str
    line: int
    column: int
    field: str
    rule: str


class _ErrorBase(TypedDict):
    code: str
    message: str


class ErrorDict(_ErrorBase, total=False):
    """An error as data."""

    location: Location


JsonDict = Dict[str, Any]
"""Any JSON object (reports, rules, lint findings)."""
