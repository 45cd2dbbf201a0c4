"""A provider that crashes mid-run: the reports are still written, with what ran and a clear failure, and the
command exits 3 (not 2: the run did start)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conformance_support import SPECS
from rich.console import Console

from renkei.conformance.results import EXIT_PROVIDER_STOPPED
from renkei.conformance.runner import Access, run_conformance
from renkei_sandbox.faults import CRASH_ENV_VAR, ENV_VAR


def test_crash_mid_run_still_writes_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_VAR, "crash")
    monkeypatch.setenv(CRASH_ENV_VAR, "60")
    code = run_conformance(
        [SPECS["bank-inquiry"], SPECS["card"]],
        Access(base_url=None, sandbox=True),
        tmp_path,
        max_examples=2,
        time_limit=0,
        seed=1,
        console=Console(quiet=True),
    )
    assert code == EXIT_PROVIDER_STOPPED == 3
    assert "provider stopped answering" in capsys.readouterr().err
    root = ET.parse(tmp_path / "junit.xml").getroot()
    stopped = root.findall(".//testcase[@name='standard:provider-availability']/failure")
    assert stopped and "provider stopped answering" in str(stopped[0].get("message"))
    passed = [c for c in root.iter("testcase") if c.find("failure") is None and c.find("skipped") is None]
    assert passed, "what ran before the crash is reported"
    assert {s.get("name") for s in root.iter("testsuite")} == {"bank-inquiry"}, "card never ran"
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "PROVIDER STOPPED ANSWERING" in page
    assert "serve sqlite:///" in page and (tmp_path / "sandbox.sqlite3").exists()
    assert (tmp_path / "profile.yaml").exists()
