"""Validation results: a list of issues, each attached to a form field."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    field: str
    code: str
    message: str
    severity: Severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass(frozen=True)
class CheckResult:
    issues: tuple[Issue, ...] = ()

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.issues)

    def merged(self, *others: CheckResult) -> CheckResult:
        issues = list(self.issues)
        for other in others:
            issues.extend(other.issues)
        return CheckResult(tuple(issues))

    def for_field(self, field: str) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.field == field)

    def has(self, code: str) -> bool:
        return any(i.code == code for i in self.issues)

    @classmethod
    def error(cls, field: str, code: str, msg: str) -> CheckResult:
        return cls((Issue(field, code, msg, Severity.ERROR),))

    @classmethod
    def warning(cls, field: str, code: str, msg: str) -> CheckResult:
        return cls((Issue(field, code, msg, Severity.WARNING),))


def error(field: str, code: str, msg: str) -> Issue:
    return Issue(field, code, msg, Severity.ERROR)


def warning(field: str, code: str, msg: str) -> Issue:
    return Issue(field, code, msg, Severity.WARNING)
