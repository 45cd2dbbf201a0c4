"""`diff_documents`: every change between two versions of one API, classified, and the semver verdict."""

from __future__ import annotations

from dataclasses import dataclass

from renkei.diff.changes import Change, Severity, merged
from renkei.diff.client_api import compare_client
from renkei.diff.context import Context
from renkei.diff.operations import compare_operations
from renkei.diff.security import compare_security_schemes
from renkei.diff.semver import Verdict, verdict
from renkei.diff.versions import Version


@dataclass(frozen=True)
class ApiDiff:
    """The comparison of one API: `old`/`new` are None when the API was added or removed."""

    api: str
    old: Version | None
    new: Version | None
    changes: tuple[Change, ...]
    verdict: Verdict | None

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.severity is Severity.BREAKING)

    @property
    def ok(self) -> bool:
        return self.verdict.ok if self.verdict is not None else not self.breaking


def _version(version: Version) -> str:
    info = version.document.get("info")
    return str(info.get("version", "")) if isinstance(info, dict) else ""


def diff_documents(old: Version, new: Version, api: str = "") -> ApiDiff:
    context = Context(old, new, api)
    _info(context)
    compare_security_schemes(context)
    compare_operations(context)
    compare_client(context)
    changes = merged(context.changes)
    return ApiDiff(api, old, new, tuple(changes), verdict(_version(old), _version(new), changes))


def _info(context: Context) -> None:
    old_info, new_info = context.old.root.get("info"), context.new.root.get("info")
    if old_info is None or new_info is None:
        return
    for text in ("title", "summary", "description"):
        if old_info.value.get(text) != new_info.value.get(text):
            context.emit(
                "info-changed", Severity.INFO, f"info.{text} changed", None, new_info.get(text) or new_info
            )
