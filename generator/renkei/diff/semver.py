"""The semver verdict: which bump the changes need, and whether `info.version` makes it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from renkei.diff.changes import Change, Severity

_VERSION = re.compile(r"^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")


class Bump(IntEnum):
    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


def parse(version: str) -> tuple[int, int, int] | None:
    match = _VERSION.match(version)
    if match is None:
        return None
    return (int(match[1]), int(match[2] or 0), int(match[3] or 0))


def bump_between(old: str, new: str) -> Bump | None:
    """The bump from `old` to `new`; None when either is no version or `new` is lower. Below 1.0.0 a minor
    bump may break (semver's 0.y.z) and so counts as a major one."""
    before, after = parse(old), parse(new)
    if before is None or after is None or after < before:
        return None
    if after[0] > before[0] or (before[0] == 0 and after[0] == 0 and after[1] > before[1]):
        return Bump.MAJOR
    if after[1] > before[1]:
        return Bump.MINOR
    if after[2] > before[2]:
        return Bump.PATCH
    return Bump.NONE


def needed(changes: list[Change]) -> Bump:
    severities = {change.severity for change in changes}
    if Severity.BREAKING in severities:
        return Bump.MAJOR
    if Severity.COMPATIBLE in severities:
        return Bump.MINOR
    return Bump.PATCH if severities else Bump.NONE


@dataclass(frozen=True)
class Verdict:
    old_version: str
    new_version: str
    needed: Bump
    made: Bump | None
    """None: `info.version` went down or is not a version."""

    @property
    def ok(self) -> bool:
        """False only when something breaks without a major bump (the exit status)."""
        return self.needed < Bump.MAJOR or self.made == Bump.MAJOR

    @property
    def sufficient(self) -> bool:
        """The version bump is at least what the changes need (a missing minor bump is only a warning)."""
        return self.made is not None and self.made >= self.needed

    def describe(self) -> str:
        made = "not a version increase" if self.made is None else f"a {self.made.name.lower()} bump"
        if self.made is Bump.NONE:
            made = "unchanged"
        need = "nothing" if self.needed is Bump.NONE else f"a {self.needed.name.lower()} bump"
        status = "ok" if self.sufficient else ("BREAKING without a major bump" if not self.ok else "warning")
        versions = f"info.version {self.old_version} → {self.new_version}"
        return f"{versions} ({made}); the changes need {need}: {status}"

    def as_json(self) -> dict[str, object]:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "needed": self.needed.name.lower(),
            "made": None if self.made is None else self.made.name.lower(),
            "ok": self.ok,
            "sufficient": self.sufficient,
        }


def verdict(old_version: str, new_version: str, changes: list[Change]) -> Verdict:
    return Verdict(old_version, new_version, needed(changes), bump_between(old_version, new_version))
