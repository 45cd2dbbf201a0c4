"""`renkei check`'s validation in a child process beside generation: the child's verdict is exactly what
`check_paths` gives in process, and in process again when the child is missing or dies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from renkei.checking.command import check_paths
from renkei.generation import background
from renkei.generation.background import BackgroundChecker, Verdict, verdict_for

INVALID = Path(__file__).parent / "invalid"
CORPUS = Path(__file__).parent / "corpus"
SPEC = Path(__file__).resolve().parents[2] / "spec"


def test_the_child_gives_the_findings_of_check() -> None:
    documents = [INVALID / "duplicate-operation-id.yaml", INVALID / "missing-info.yaml"]
    with BackgroundChecker() as checker:
        checker.submit(documents)
        verdict = checker.result()
    assert verdict == Verdict(tuple(check_paths(documents)))
    assert {finding.rule for finding in verdict.findings} == {"operation-id", "openapi-schema"}
    assert all(finding.location is not None for finding in verdict.findings)


def test_a_clean_document_set_has_no_findings() -> None:
    with BackgroundChecker() as checker:
        checker.submit(sorted(SPEC.glob("*.yaml")))
        assert checker.result() == Verdict()


def test_an_unusable_configuration_is_a_verdict_not_a_crash(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text((CORPUS / "enums.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "renkei.toml").write_text('[rules]\nno-such-rule = "off"\n', encoding="utf-8")
    with BackgroundChecker() as checker:
        checker.submit([spec])
        verdict = checker.result()
    assert verdict.findings == () and verdict.config_error is not None
    assert "no-such-rule" in verdict.config_error and "renkei.toml" in verdict.config_error


def _exits_at_once() -> subprocess.Popen[bytes]:
    pipe = subprocess.PIPE
    return subprocess.Popen(
        [sys.executable, "-c", "pass"], stdin=pipe, stdout=pipe, stderr=subprocess.DEVNULL
    )


@pytest.mark.parametrize("child", [_exits_at_once, lambda: None], ids=["child-dies", "no-child"])
def test_without_a_working_child_the_parent_checks(monkeypatch: pytest.MonkeyPatch, child: Any) -> None:
    monkeypatch.setattr(background, "_start_child", child)
    documents = [INVALID / "path-parameter-not-in-path.yaml"]
    with BackgroundChecker() as checker:
        checker.submit(documents)
        verdict = checker.result()
    assert verdict == verdict_for(documents)
    assert [finding.rule for finding in verdict.findings] == ["openapi-schema"]


def test_a_prestarted_child_is_adopted_once_and_a_spare_one_is_killed() -> None:
    background.prestart()
    [spare] = background._prestarted
    with BackgroundChecker() as checker:
        checker.submit([CORPUS / "enums.yaml"])
        assert checker.result() == Verdict()
    assert spare.poll() is not None  # adopted, then ended by close()
    assert background._prestarted == []
    background.prestart()
    [unused] = background._prestarted
    background.discard_prestarted()
    assert unused.poll() is not None and background._prestarted == []
