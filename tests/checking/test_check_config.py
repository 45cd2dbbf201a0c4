"""Rule configuration: `[tool.renkei]` in pyproject.toml or a renkei.toml, nearest above the document."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from checking_support import BROKEN, run_cli

CASE = "tag-declared-and-summary"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project directory whose api/ holds a document with a warning (undeclared tag) and an error
    (no summary)."""
    api = tmp_path / "api"
    api.mkdir()
    shutil.copytree(BROKEN / "components", api / "components")
    text = (BROKEN / "control-clean.yaml").read_text(encoding="utf-8")
    text = text.replace("      tags: [accounts]\n", "      tags: [acounts]\n", 1)
    text = text.replace("      summary: Get one account\n", "", 1)
    (api / "api.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def check(project: Path, *extra: str) -> tuple[int, list[dict[str, object]], str]:
    result = run_cli("check", str(project / "api" / "api.yaml"), "--format", "json", *extra, cwd=project)
    return result.returncode, json.loads(result.stdout or "[]"), result.stderr


def rules(findings: list[dict[str, object]]) -> dict[object, object]:
    return {finding["rule"]: finding["severity"] for finding in findings}


def test_defaults_without_configuration(project):
    code, findings, _ = check(project)
    assert code == 1
    assert rules(findings) == {"tag-declared": "warning", "operation-summary": "error"}


def test_pyproject_table_changes_severities_and_disables(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.renkei.rules]\ntag-declared = "error"\noperation-summary = "off"\n',
        encoding="utf-8",
    )
    code, findings, _ = check(project)
    assert code == 1
    assert rules(findings) == {"tag-declared": "error"}


def test_a_pyproject_without_the_table_is_passed_over(project):
    (project / "api" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (project / "renkei.toml").write_text('[rules]\noperation-summary = "warning"\n', encoding="utf-8")
    code, findings, _ = check(project)
    assert code == 0  # only warnings left
    assert rules(findings) == {"tag-declared": "warning", "operation-summary": "warning"}


def test_the_nearest_renkei_toml_wins_and_groups_apply(project):
    (project / "renkei.toml").write_text('[rules]\noperation-summary = "off"\n', encoding="utf-8")
    (project / "api" / "renkei.toml").write_text(
        '[rules]\nguideline = "warning"\ntag-declared = "off"\n', encoding="utf-8"
    )
    code, findings, _ = check(project)
    assert code == 0
    assert rules(findings) == {"operation-summary": "warning"}  # the group; the rule's own entry wins


def test_per_path_ignores_need_a_reason_and_match_files_relative_to_the_config(project):
    (project / "renkei.toml").write_text(
        '[[ignore]]\npath = "api/*.yaml"\nrules = ["tag-declared"]\nreason = "tags are declared later"\n',
        encoding="utf-8",
    )
    code, findings, _ = check(project)
    assert rules(findings) == {"operation-summary": "error"}
    (project / "renkei.toml").write_text(
        '[[ignore]]\npath = "other/*.yaml"\nreason = "another directory"\n', encoding="utf-8"
    )
    assert rules(check(project)[1]) == {"tag-declared": "warning", "operation-summary": "error"}
    (project / "renkei.toml").write_text('[[ignore]]\npath = "api/*.yaml"\n', encoding="utf-8")
    code, findings, error = check(project)
    assert code == 2 and findings == []
    assert "renkei.toml" in error and "reason" in error


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[rules]\nno-such-rule = "off"\n', "unknown rule 'no-such-rule'"),
        ('[rules]\nopenapi-schema = "off"\n', "unknown rule 'openapi-schema'"),
        ('[rules]\ntag-declared = "loud"\n', "rules.tag-declared"),
        ("[colour]\nx = 1\n", "colour"),
        ("[rules\n", "invalid TOML"),
        ('[[ignore]]\npath = "x"\nrules = ["typo"]\nreason = "r"\n', "unknown rule 'typo'"),
    ],
)
def test_an_unusable_configuration_is_a_usage_error(project, text, expected):
    (project / "renkei.toml").write_text(text, encoding="utf-8")
    code, findings, error = check(project)
    assert code == 2 and findings == []
    assert expected in error and "renkei.toml" in error
    assert "Traceback" not in error
