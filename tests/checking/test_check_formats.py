"""Output formats and languages: SARIF 2.1.0 for code-review tools, and Japanese messages (`--lang ja`)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from checking_support import BROKEN, REPO, run_cli

from renkei.checking.catalogue import catalogue

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def broken_project(tmp_path: Path) -> Path:
    """Three mistakes of different kinds: structure, a guideline rule, an example."""
    shutil.copytree(BROKEN / "components", tmp_path / "components")
    text = (BROKEN / "control-clean.yaml").read_text(encoding="utf-8")
    text = text.replace("      summary: Get one account\n", "", 1)
    text = text.replace("          in: path\n", "          in: paht\n", 1)
    text = text.replace("                bankCode: '2963'\n", "                bankCode: '29630'\n", 1)
    (tmp_path / "api.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "api.yaml"


def test_sarif_log_has_the_2_1_0_shape_and_one_result_per_finding(tmp_path):
    spec = broken_project(tmp_path)
    plain = json.loads(run_cli("check", str(spec), "--format", "json", cwd=tmp_path).stdout)
    result = run_cli("check", str(spec), "--format", "sarif", cwd=tmp_path)
    assert result.returncode == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "renkei" and driver["version"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == [entry.id for entry in catalogue()]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    base = run["originalUriBaseIds"]["SRCROOT"]["uri"]
    assert base.startswith("file:///") and base.endswith("/")
    assert len(run["results"]) == len(plain) == 3
    for sarif_result, finding in zip(run["results"], plain, strict=True):
        assert sarif_result["ruleId"] == finding["rule"]
        assert ids[sarif_result["ruleIndex"]] == finding["rule"]
        assert sarif_result["level"] == finding["severity"]
        assert sarif_result["message"]["text"] == finding["message"]
        [location] = sarif_result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": "api.yaml", "uriBaseId": "SRCROOT"}
        assert physical["region"] == {"startLine": finding["line"], "startColumn": finding["column"]}
    allowed_result_keys = {"ruleId", "ruleIndex", "level", "message", "locations"}
    assert all(set(item) <= allowed_result_keys for item in run["results"])


def test_japanese_messages_for_every_kind_of_finding(tmp_path):
    spec = broken_project(tmp_path)
    english = json.loads(run_cli("check", str(spec), "--format", "json", cwd=tmp_path).stdout)
    japanese = json.loads(
        run_cli("check", str(spec), "--format", "json", "--lang", "ja", cwd=tmp_path).stdout
    )
    assert [(f["rule"], f["line"]) for f in english] == [(f["rule"], f["line"]) for f in japanese]
    for en, ja in zip(english, japanese, strict=True):
        assert en["message"] != ja["message"] and JAPANESE.search(ja["message"]), ja
    text = run_cli("check", str(spec), "--lang", "ja", cwd=tmp_path).stdout.splitlines()
    assert text[-1] == "エラー 3 件、警告 0 件 (1 文書)"
    by_rule = {f["rule"]: f["message"] for f in japanese}
    assert "いずれか" in by_rule["openapi-schema"]
    assert "summary" in by_rule["operation-summary"]


def test_japanese_messages_for_load_failures(tmp_path):
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.1.0\ninfo:\n  title: t\n  summary: 残高照会: 現在残高\n  version: 1.0.0\npaths: {}\n",
        encoding="utf-8",
    )
    [finding] = json.loads(
        run_cli("check", "api.yaml", "--format", "json", "--lang", "ja", cwd=tmp_path).stdout
    )
    assert finding["rule"] == "yaml-syntax" and finding["line"] == 4
    assert finding["message"].startswith("YAML の構文誤り")
    assert "引用符で囲んでください: summary: '残高照会: 現在残高'" in finding["message"]


def test_the_shipped_spec_is_clean_in_every_format():
    for output in ("text", "json", "sarif"):
        result = run_cli("check", str(REPO / "spec"), "--format", output, "--lang", "ja")
        assert result.returncode == 0, result.stdout


SARIF_SCHEMA = Path(__file__).parent / "sarif" / "sarif-2.1.0-rtm.5.json"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_sarif_log_is_valid_against_the_sarif_2_1_0_schema(tmp_path, language):
    from jsonschema import Draft4Validator

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = Draft4Validator(schema)
    spec = broken_project(tmp_path)
    result = run_cli("check", str(spec), "--format", "sarif", "--lang", language, cwd=tmp_path)
    log = json.loads(result.stdout)
    assert [error.message for error in validator.iter_errors(log)] == []
    assert log["runs"][0]["results"]  # findings were written, and are valid
    log["runs"][0]["results"][0]["level"] = "fatal"  # the schema does refuse a wrong log
    assert not validator.is_valid(log)


def test_sarif_log_of_a_clean_document_is_valid_and_empty(tmp_path):
    from jsonschema import Draft4Validator

    shutil.copytree(BROKEN / "components", tmp_path / "components")
    (tmp_path / "api.yaml").write_text((BROKEN / "control-clean.yaml").read_text(encoding="utf-8"), "utf-8")
    result = run_cli("check", str(tmp_path / "api.yaml"), "--format", "sarif", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    assert Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).is_valid(log)
    assert log["runs"][0]["results"] == []
