"""Which files `renkei check` checks: explicit files, and the API documents directly in given directories."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from renkei.loading import SpecError
from renkei.loading.locations import LocationIndex
from renkei.loading.yaml_reader import read_yaml

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def is_api_document(path: Path) -> bool:
    """A top-level `openapi` (or Swagger 2.0's `swagger`) key and a non-empty `paths`; an unparsable file
    counts (so its error shows)."""
    try:
        data = read_yaml(path, LocationIndex())
    except SpecError:
        return True
    return (
        isinstance(data, dict)
        and ("openapi" in data or "swagger" in data)
        and isinstance(data.get("paths"), dict)
        and bool(data["paths"])
    )


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """(documents to check, usage problems). Component libraries in a directory are skipped: they are
    checked through the documents that reference them."""
    documents: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found = [
                candidate
                for candidate in sorted(path.iterdir())
                if candidate.is_file()
                and candidate.suffix.lower() in SPEC_SUFFIXES
                and is_api_document(candidate)
            ]
            if not found:
                problems.append(
                    f"{path}: no OpenAPI documents (with `openapi` or `swagger`, and `paths`)"
                    " in this directory"
                )
            documents += found
        elif path.exists() or path.suffix.lower() in SPEC_SUFFIXES:
            documents.append(path)  # a missing file is reported as a finding (file-missing)
        else:
            problems.append(f"{path}: no such file or directory")
    return documents, problems
