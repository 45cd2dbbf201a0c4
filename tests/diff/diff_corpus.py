"""The labelled diff corpus (a plain module imported by name, also by bench/diff_vs_oasdiff.py).

Each directory of corpus/ is one version pair and its hand-written label.yaml:

    verdict: breaking | compatible
    breaking:                       # every breaking change a reviewer expects (kind, optional pointer)
    - kind: response-property-removed
      pointer: '#/components/schemas/Balance/properties/withdrawableAmount'

The pair is `old.yaml` / `new.yaml`, or `old/` / `new/` holding `api.yaml` and the files it references,
or (with `base: spec`) the project's own spec/ before and after the label's `edits`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).parent / "corpus"
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Expected:
    kind: str
    pointer: str | None


@dataclass(frozen=True)
class Pair:
    name: str
    directory: Path
    label: dict[str, Any]

    @property
    def verdict(self) -> str:
        return str(self.label["verdict"])

    @property
    def breaking(self) -> tuple[Expected, ...]:
        return tuple(Expected(e["kind"], e.get("pointer")) for e in self.label.get("breaking") or ())

    def materialize(self, scratch: Path) -> tuple[Path, Path]:
        """(old, new) documents to compare; spec-based pairs are written below `scratch`."""
        if (self.directory / "old.yaml").exists():
            return self.directory / "old.yaml", self.directory / "new.yaml"
        if (self.directory / "old").is_dir():
            return self.directory / "old" / "api.yaml", self.directory / "new" / "api.yaml"
        assert self.label.get("base") == "spec", f"{self.name}: no old/new and no `base: spec`"
        old, new = scratch / self.name / "old", scratch / self.name / "new"
        for side in (old, new):
            if not side.exists():
                shutil.copytree(REPO / "spec", side)
        for edit in self.label["edits"]:
            target = new / edit["file"]
            text = target.read_text(encoding="utf-8")
            assert text.count(edit["find"]) == 1, f"{self.name}: {edit['find']!r} not once in {edit['file']}"
            target.write_text(text.replace(edit["find"], edit["replace"]), encoding="utf-8")
        api = str(self.label["api"])
        return old / api, new / api


def corpus() -> list[Pair]:
    pairs = []
    for directory in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        label = yaml.safe_load((directory / "label.yaml").read_text(encoding="utf-8"))
        pairs.append(Pair(directory.name, directory, label))
    return pairs
