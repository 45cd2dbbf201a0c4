"""Connector-onboarding data next to the specs (`<spec dir>/onboarding/*.yaml`): the API接続チェックリスト
(`kind: renkei-connection-checklist`) and the 契約条文例 skeleton (`kind: renkei-contract-clauses`),
rendered as pages of the reference. Files of another kind are left alone; a file that does not parse is
an error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CHECKLIST = "renkei-connection-checklist"
CLAUSES = "renkei-contract-clauses"
PAGES = {CHECKLIST: "onboarding/connection-checklist.html", CLAUSES: "onboarding/contract-clauses.html"}
TITLES = {CHECKLIST: "API接続チェックリスト", CLAUSES: "API利用契約の条文例 (骨子)"}


class OnboardingError(ValueError):
    """An onboarding file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class OnboardingDoc:
    kind: str
    path: Path
    data: dict[str, Any]

    @property
    def page(self) -> str:
        return PAGES[self.kind]

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    def rows(self) -> list[dict[str, Any]]:
        key = "items" if self.kind == CHECKLIST else "clauses"
        rows = self.data.get(key) or []
        return [row for row in rows if isinstance(row, dict)]

    def category_names(self) -> dict[str, str]:
        categories = self.data.get("categories") or []
        return {str(c.get("id")): str(c.get("name")) for c in categories if isinstance(c, dict)}


def find_onboarding(specs: Sequence[Path]) -> list[OnboardingDoc]:
    """The onboarding documents in `onboarding/` next to the given specs, one per kind (the first found)."""
    found: dict[str, OnboardingDoc] = {}
    folders = dict.fromkeys(spec.resolve().parent / "onboarding" for spec in specs)
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
                raise OnboardingError(f"{path}: cannot read the onboarding file: {error}") from None
            kind = data.get("kind") if isinstance(data, dict) else None
            if isinstance(data, dict) and kind in PAGES and kind not in found:
                found[kind] = OnboardingDoc(str(kind), path, data)
    return [found[kind] for kind in PAGES if kind in found]
