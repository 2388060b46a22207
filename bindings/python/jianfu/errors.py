"""Exceptions raised by jianfu: one class per stable core error code, all under `JianfuError`.

Every exception carries the core's data: ``.code`` (``"item.invalid"`` …), ``.message`` (the
core's message, naming what and where) and ``.location`` (a dict with any of ``source``,
``line``, ``column``, ``field``, ``rule``; empty when the error has no location).
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Type

__all__ = [
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
    "JianfuIOError",
    "from_data",
]


class JianfuError(Exception):
    """Base class of every jianfu error. ``code`` is the stable machine-readable code."""

    code: str = "error"

    def __init__(self, message: str, location: Optional[Mapping[str, Any]] = None) -> None:
        super().__init__(message)
        self.message: str = message
        self.location: Dict[str, Any] = dict(location or {})

    def to_dict(self) -> Dict[str, Any]:
        """The error as the core's JSON shape ``{code, message, location?}``."""
        data: Dict[str, Any] = {"code": self.code, "message": self.message}
        if self.location:
            data["location"] = dict(self.location)
        return data

    def __reduce__(self):  # type: ignore[override]
        return (type(self), (self.message, self.location))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, location={self.location!r})"


class RulesetSyntaxError(JianfuError, ValueError):
    """A ruleset is not valid TOML or does not match the ruleset format (``ruleset.syntax``)."""

    code = "ruleset.syntax"


class RulesetInvalidError(JianfuError, ValueError):
    """A ruleset parses but is inconsistent: duplicate id, dangling reference, overlapping
    dated versions … (``ruleset.invalid``)."""

    code = "ruleset.invalid"


class ItemInvalidError(JianfuError, ValueError):
    """An item, register or annual plan is not valid JSON or breaks the contract
    (``item.invalid``)."""

    code = "item.invalid"


class RowInvalidError(JianfuError, ValueError):
    """A row of a schools or events table is malformed (``row.invalid``)."""

    code = "row.invalid"


class SchemaError(JianfuError, ValueError):
    """A schools or events table's columns do not match: required columns missing or unknown
    columns present (``table.schema``). The message lists every missing and unexpected column;
    the whole table is refused rather than scored as empty."""

    code = "table.schema"


class DateInvalidError(JianfuError, ValueError):
    """A date argument is not an ISO ``YYYY-MM-DD`` date (``date.invalid``)."""

    code = "date.invalid"


class UnknownRuleError(JianfuError, LookupError):
    """A rule id that the ruleset does not contain (``rule.unknown``)."""

    code = "rule.unknown"


class UnknownPeriodError(JianfuError, LookupError):
    """A period id that the calendar does not have (``period.unknown``)."""

    code = "period.unknown"


class UnknownJurisdictionError(JianfuError, LookupError):
    """A jurisdiction the embedded rulesets do not have (``jurisdiction.unknown``)."""

    code = "jurisdiction.unknown"


class InvalidArgumentError(JianfuError, ValueError):
    """An option has a value it does not take (``argument.invalid``)."""

    code = "argument.invalid"


class PartialInvalidError(JianfuError, ValueError):
    """Scoring partials that do not combine: another period, ruleset or format, a school whose
    row differs, or not a partial at all (``partial.invalid``)."""

    code = "partial.invalid"


class JianfuIOError(JianfuError, OSError):
    """Reading a file failed (``io``)."""

    code = "io"

    def __str__(self) -> str:
        return self.message


_BY_CODE: Dict[str, Type[JianfuError]] = {
    cls.code: cls
    for cls in (
        RulesetSyntaxError,
        RulesetInvalidError,
        ItemInvalidError,
        RowInvalidError,
        SchemaError,
        DateInvalidError,
        UnknownRuleError,
        UnknownPeriodError,
        UnknownJurisdictionError,
        InvalidArgumentError,
        PartialInvalidError,
        JianfuIOError,
    )
}


def from_data(data: Mapping[str, Any]) -> JianfuError:
    """The exception for an error given as the core's ``{code, message, location}`` dict."""
    cls = _BY_CODE.get(str(data.get("code")), JianfuError)
    error = cls(str(data.get("message", "")), data.get("location"))
    if cls is JianfuError:
        error.code = str(data.get("code", "error"))
    return error
