"""renkei's verdict matches the hand-written label of every corpus pair, and it finds exactly the
labelled breaking changes (no breaking change is missed, none is invented)."""

from __future__ import annotations

from pathlib import Path

import pytest
from diff_corpus import Pair, corpus

from renkei.diff import Severity, diff_documents
from renkei.diff.versions import Version
from renkei.loading import load_spec

PAIRS = corpus()


def test_the_corpus_is_big_and_balanced():
    assert len(PAIRS) >= 40
    verdicts = [pair.verdict for pair in PAIRS]
    assert verdicts.count("breaking") >= 20 and verdicts.count("compatible") >= 12
    assert sum(1 for pair in PAIRS if pair.label.get("base") == "spec") >= 5, "pairs from the project's spec/"
    assert any((pair.directory / "old").is_dir() for pair in PAIRS), "a multi-file pair"


@pytest.mark.parametrize("pair", PAIRS, ids=[pair.name for pair in PAIRS])
def test_pair_matches_its_label(pair: Pair, tmp_path: Path):
    old, new = pair.materialize(tmp_path)
    diff = diff_documents(Version(str(old), load_spec(old)), Version(str(new), load_spec(new)), new.name)
    breaking = [change for change in diff.changes if change.severity is Severity.BREAKING]
    shown = "\n".join(f"{c.kind} {c.pointer}: {c.message}" for c in breaking)
    assert ("breaking" if breaking else "compatible") == pair.verdict, shown
    for expected in pair.breaking:
        assert any(
            change.kind == expected.kind and (expected.pointer is None or change.pointer == expected.pointer)
            for change in breaking
        ), f"missing {expected.kind} {expected.pointer or ''}; found:\n{shown}"
    assert {change.kind for change in breaking} == {e.kind for e in pair.breaking}, shown
    for change in diff.changes:
        assert change.file is not None and change.line is not None, change
