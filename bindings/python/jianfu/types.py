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


# Items (事项), as `Engine.check` reads them. Codes may also be written as their Chinese names
# (`"kind": "进校园"`, `"level": "县级"`); dates are `YYYY-MM-DD`.


class IssuerDict(TypedDict):
    """Who issues the item: name, kind (`education`, `other_department` …) and level."""

    name: str
    kind: str
    level: str


class MaterialsDict(TypedDict, total=False):
    """The materials an approval needs (事由、依据、工作方案 …)."""

    reason: Optional[str]
    basis: Optional[str]
    work_plan: Optional[str]
    expected_effect: Optional[str]
    organiser: Optional[str]
    participants: Optional[str]
    content: Optional[str]


class _ApprovalBase(TypedDict):
    step: str
    on: str
    outcome: str


class ApprovalDict(_ApprovalBase, total=False):
    """One approval step taken: step, date, outcome and who."""

    by: Optional[str]


class _PlanRefBase(TypedDict):
    plan_id: str


class PlanRefDict(_PlanRefBase, total=False):
    """The annual inspection plan that lists the item, and its filing."""

    filed_on: Optional[str]
    filed_with: Optional[str]
    approved_on: Optional[str]
    approved_by: Optional[str]


class RequirementsDict(TypedDict, total=False):
    """What the item asks of schools and teachers, as flags."""

    install_app: bool
    follow_account: bool
    vote_or_like: bool
    sales_quota: bool
    commercial_promotion: bool
    check_in_trace: bool
    one_vote_veto: bool
    responsibility_letter: bool
    ranking: bool
    photo_upload: bool


class CampusEntryDict(TypedDict, total=False):
    """A campus entry (进校园): its basis, whitelist entry, grades and place."""

    basis_type: Optional[str]
    whitelist_id: Optional[str]
    grades: List[str]
    place: Optional[str]


class InspectionDict(TypedDict, total=False):
    """An inspection, appraisal or assessment."""

    comprehensive: bool
    topic: Optional[str]
    scored: bool
    notice_on: Optional[str]
    technical: bool


class DataRequestDict(TypedDict, total=False):
    """A data request: the fields it asks for."""

    fields: List[str]


class ExtensionDict(TypedDict, total=False):
    """A secondment's extension: consents and their date."""

    school_consent: bool
    teacher_consent: bool
    consented_on: Optional[str]


class SecondmentDict(TypedDict, total=False):
    """A secondment (抽调借用): how many teachers, how long, who approved."""

    teachers: int
    days: Optional[int]
    major_task: bool
    approved_by: Optional[str]
    party_filed: bool
    extension: Optional[ExtensionDict]


class DutyDict(TypedDict, total=False):
    """A duty roster (值班值守)."""

    day_type: Optional[str]
    students_present: bool
    teachers_rostered: bool
    higher_level_required: bool


class _ItemBase(TypedDict):
    id: str
    kind: str
    title: str
    issuer: IssuerDict


class ItemDict(_ItemBase, total=False):
    """An item (事项) that a department wants to push onto schools."""

    targets: List[str]
    schools: List[str]
    start: Optional[str]
    end: Optional[str]
    description: str
    materials: MaterialsDict
    approvals: List[ApprovalDict]
    annual_plan: Optional[PlanRefDict]
    requirements: RequirementsDict
    legally_required: bool
    major_task: bool
    hours_per_teacher: Optional[float]
    campus_entry: Optional[CampusEntryDict]
    inspection: Optional[InspectionDict]
    data_request: Optional[DataRequestDict]
    secondment: Optional[SecondmentDict]
    duty: Optional[DutyDict]


JsonDict = Dict[str, Any]
"""Any JSON object (reports, rules, lint findings)."""
