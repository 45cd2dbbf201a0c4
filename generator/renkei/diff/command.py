"""`renkei diff OLD NEW`: exit 0 when the versions are right, 1 when something breaks without a major
bump, 2 for a usage error or a document that cannot be loaded."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from renkei.diff.changes import Change, Severity
from renkei.diff.comparing import ApiDiff, diff_documents
from renkei.diff.rendering import render_json, render_markdown, render_text
from renkei.diff.sources import Document, documents, pair, parse_sides
from renkei.diff.versions import Version
from renkei.loading import SpecError, load_spec

_RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}


def _version(document: Document) -> Version:
    return Version(document.label, load_spec(document.path), document.display)


def _lone(name: str, old: Document | None, new: Document | None) -> ApiDiff:
    """An API only one side has."""
    if new is None:
        assert old is not None
        version = _version(old)
        change = Change(
            "api-removed", Severity.BREAKING, f"API {name} removed", (), "#", old.label, 1, "old", name
        )
        return ApiDiff(name, version, None, (change,), None)
    version = _version(new)
    change = Change("api-added", Severity.COMPATIBLE, f"new API {name}", (), "#", new.label, 1, "new", name)
    return ApiDiff(name, None, version, (change,), None)


def compare(old: str, new: str, cwd: Path, scratch: Path) -> list[ApiDiff]:
    """Every API of OLD against NEW (raises SpecError when a side cannot be read)."""
    old_side, new_side = parse_sides(old, new, cwd)
    old_documents, old_is_dir = documents(old_side, cwd, scratch / "old")
    new_documents, new_is_dir = documents(new_side, cwd, scratch / "new")
    if not old_documents and not new_documents:
        raise SpecError("file-missing", f"no OpenAPI documents in {old} or {new}")
    diffs = []
    for name, old_document, new_document in pair(old_documents, new_documents, old_is_dir or new_is_dir):
        if old_document is None or new_document is None:
            diffs.append(_lone(name, old_document, new_document))
        else:
            diffs.append(diff_documents(_version(old_document), _version(new_document), name))
    return diffs


def run_diff(old: str, new: str, output_format: str) -> int:
    with tempfile.TemporaryDirectory(prefix="renkei-diff-") as scratch:
        try:
            diffs = compare(old, new, Path.cwd(), Path(scratch))
        except SpecError as error:
            print(f"renkei diff: {error}", file=sys.stderr)
            return 2
        _RENDERERS[output_format](diffs, sys.stdout)
    return 0 if all(diff.ok for diff in diffs) else 1
