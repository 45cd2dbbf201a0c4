"""The shipped standard (spec/) passes `renkei check` with zero findings."""

from __future__ import annotations

import pytest
from checking_support import REPO, run_cli

from renkei.checking.command import check_paths
from renkei.checking.discovery import discover

SPEC = REPO / "spec"


def shipped_documents():
    if not SPEC.is_dir():
        return []
    documents, _ = discover([SPEC])
    return documents


@pytest.mark.skipif(not shipped_documents(), reason="spec/ has no API documents yet")
def test_shipped_spec_has_zero_findings():
    findings = check_paths(shipped_documents())
    assert [f"{finding.location}: [{finding.rule}] {finding.message}" for finding in findings] == []


@pytest.mark.skipif(not shipped_documents(), reason="spec/ has no API documents yet")
def test_make_check_equivalent_exits_zero():
    result = run_cli("check", "spec")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("0 errors, 0 warnings in ")


def test_component_libraries_are_not_documents_of_their_own():
    documents = shipped_documents()
    assert all(document.parent == SPEC for document in documents)
