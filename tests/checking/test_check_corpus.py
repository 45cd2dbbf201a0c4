"""Each broken spec gives exactly its declared findings (rule, file, line), exit code 1 and no traceback."""

from __future__ import annotations

import json

import pytest
from checking_support import BROKEN, REPO, Case, corpus, run_cli

from renkei.checking.command import check_paths, run_check
from renkei.checking.findings import Severity
from renkei.checking.rules import all_rules
from renkei.loading.errors import SourceLocation

CASES = corpus()


def relative(location: SourceLocation | None) -> str:
    assert location is not None, "every corpus finding has a location"
    return location.file.resolve().relative_to(BROKEN.resolve()).as_posix()


def test_corpus_is_big_enough_and_covers_every_rule():
    broken = [case for case in CASES if case.expected]
    assert len(broken) >= 20
    assert any(not case.expected for case in CASES), "the clean control case proves the base is clean"
    covered = {rule for case in CASES for rule, _, _ in case.expected}
    missing = {rule.id for rule in all_rules()} - covered
    assert not missing, f"rules without a broken case: {sorted(missing)}"
    loading = {"yaml-syntax", "ref-unresolvable", "ref-cycle", "openapi-schema"}
    assert loading <= covered


@pytest.mark.parametrize("case", CASES, ids=[case.path.stem for case in CASES])
def test_case_gives_its_expected_findings(case: Case, capsys):
    findings = check_paths([case.path])
    got = {(finding.rule, relative(finding.location), finding.location.line) for finding in findings}
    assert got == case.expected
    assert all("\n" not in finding.message for finding in findings)
    severities = {rule.id: rule.severity for rule in all_rules()}
    for finding in findings:  # guideline findings carry their rule's severity; load failures are errors
        assert finding.severity is severities.get(finding.rule, Severity.ERROR)

    exit_code = run_check([case.path], "text")
    output = capsys.readouterr()
    has_errors = any(finding.severity is Severity.ERROR for finding in findings)
    assert exit_code == (1 if has_errors else 0)
    assert "Traceback" not in output.out + output.err
    lines = output.out.splitlines()
    assert len(lines) == len(findings) + 1  # one line per finding, then the summary
    for line, finding in zip(lines, findings, strict=False):
        assert line == f"{finding.location}: {finding.severity.value} [{finding.rule}] {finding.message}"


@pytest.mark.parametrize(
    "name", ["yaml-syntax", "ref-cycle", "component-file-finding", "openapi-missing-info"]
)
def test_real_cli_reports_the_case(name):
    case = next(case for case in CASES if case.path.stem == name)
    result = run_cli("check", str(case.path), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    findings = json.loads(result.stdout)
    got = {(finding["rule"], (REPO / finding["file"]).resolve(), finding["line"]) for finding in findings}
    expected = {(rule, (BROKEN / file).resolve(), line) for rule, file, line in case.expected}
    assert got == expected
    for finding in findings:
        assert set(finding) == {"rule", "severity", "file", "line", "column", "message"}
        assert finding["severity"] == "error"


def test_real_cli_text_output_is_one_line_per_finding():
    result = run_cli("check", str(BROKEN / "operation-summary.yaml"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith(": error [operation-summary] GET /accounts/{accountId} has no summary")
    assert lines[0].startswith("tests/checking/broken/operation-summary.yaml:14:5")
    assert lines[-1] == "1 error, 0 warnings in 1 document"
    assert result.stderr == ""
