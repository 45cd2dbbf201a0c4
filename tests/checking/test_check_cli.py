"""`renkei check` as a command: discovery, exit codes, output formats."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

from checking_support import BROKEN

from renkei.checking.command import check_paths, run_check
from renkei.checking.discovery import discover
from renkei.checking.output import render_text


def copy_case(tmp_path: Path, name: str) -> Path:
    shutil.copytree(BROKEN / "components", tmp_path / "components")
    shutil.copy(BROKEN / f"{name}.yaml", tmp_path / f"{name}.yaml")
    return tmp_path / f"{name}.yaml"


def test_directory_means_its_api_documents_not_component_libraries(tmp_path):
    clean = copy_case(tmp_path, "control-clean")
    (tmp_path / "notes.txt").write_text("not a spec\n")
    (tmp_path / "library.yaml").write_text("components: {schemas: {}}\n")
    (tmp_path / "empty-paths.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n"
    )
    documents, problems = discover([tmp_path])
    assert documents == [clean]
    assert problems == []


def test_unparsable_yaml_in_a_directory_is_reported_not_skipped(tmp_path):
    (tmp_path / "api.yaml").write_text("openapi: 3.1.0\npaths: [\n")
    documents, _ = discover([tmp_path])
    assert documents == [tmp_path / "api.yaml"]


def test_usage_errors_exit_2(tmp_path, capsys):
    assert run_check([tmp_path], "text") == 2
    assert run_check([tmp_path / "nothing-here"], "text") == 2
    output = capsys.readouterr()
    assert output.out == ""
    assert "no OpenAPI documents" in output.err and "no such file or directory" in output.err


def test_missing_file_is_a_finding_exit_1(tmp_path, capsys):
    assert run_check([tmp_path / "missing.yaml"], "json") == 1
    findings = json.loads(capsys.readouterr().out)
    assert [finding["rule"] for finding in findings] == ["file-missing"]


def test_clean_document_exits_0_and_json_is_an_empty_array(tmp_path, capsys):
    clean = copy_case(tmp_path, "control-clean")
    assert run_check([clean], "json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_findings_of_a_shared_component_file_are_reported_once(tmp_path, capsys):
    first = copy_case(tmp_path, "component-file-finding")
    second = tmp_path / "second.yaml"
    second.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "components" / "number-lib.yaml").write_text(
        (BROKEN / "components" / "number-lib.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert run_check([first, second], "json") == 1
    findings = json.loads(capsys.readouterr().out)
    assert len(findings) == 1
    assert findings[0]["file"].endswith("number-lib.yaml")


def test_openapi_3_0_documents_use_the_3_0_validator(tmp_path, capsys):
    text = (
        (BROKEN / "control-clean.yaml")
        .read_text(encoding="utf-8")
        .replace("openapi: 3.1.0", "openapi: 3.0.3")
    )
    shutil.copytree(BROKEN / "components", tmp_path / "components")
    (tmp_path / "api30.yaml").write_text(text, encoding="utf-8")
    assert run_check([tmp_path / "api30.yaml"], "json") == 0
    assert json.loads(capsys.readouterr().out) == []
    # `type: [string, "null"]` is 3.1 only: the 3.0 validator rejects it.
    (tmp_path / "api30.yaml").write_text(
        text.replace("          schema: {type: string}", "          schema: {type: [string, 'null']}"),
        encoding="utf-8",
    )
    assert run_check([tmp_path / "api30.yaml"], "json") == 1
    findings = json.loads(capsys.readouterr().out)
    assert {finding["rule"] for finding in findings} == {"openapi-schema"}


def test_unsupported_openapi_version(tmp_path, capsys):
    (tmp_path / "api.yaml").write_text("openapi: 2.0.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n")
    assert run_check([tmp_path / "api.yaml"], "json") == 1
    findings = json.loads(capsys.readouterr().out)
    assert findings[0]["rule"] == "openapi-schema" and "unsupported OpenAPI version" in findings[0]["message"]
    assert findings[0]["line"] == 1


def test_terminal_output_is_coloured_with_the_same_text():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    findings = check_paths([BROKEN / "operation-tag-undeclared.yaml", BROKEN / "operation-summary.yaml"])
    coloured, plain = Terminal(), io.StringIO()
    render_text(findings, 2, coloured)
    render_text(findings, 2, plain)
    assert "\x1b[" in coloured.getvalue()
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.getvalue()) == plain.getvalue()
    assert plain.getvalue().splitlines()[-1] == "1 error, 1 warning in 2 documents"


def test_a_component_library_given_explicitly_is_explained(capsys):
    assert run_check([BROKEN / "components" / "number-lib.yaml"], "json") == 1
    findings = json.loads(capsys.readouterr().out)
    messages = [finding["message"] for finding in findings if finding["rule"] == "openapi-schema"]
    assert messages and "not an OpenAPI document" in messages[0]
