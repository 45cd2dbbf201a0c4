"""`--lenient`: each structural flaw with one obvious repair is repaired and reported as a located warning;
without the flag the same document is refused; other errors stay errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator
from typer.testing import CliRunner

from renkei.cli import app
from renkei.loading import load_spec
from renkei.loading.lenient import repair

FLAWED = """\
openapi: 3.0.3
info:
  title: upstream
  version: "1.0"
  description: null
paths:
  /payments:
    get:
      operationId: listPayments
      title: List payments
      parameters:
        - name: limit
          in: query
          schema:
            type: string
            default: 1
        - name: page
          in: query
          schema:
            type: integer
            default: "2"
        - name: flag
          in: query
          schema:
            type: integer
            default: lots
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Payment"
components:
  schemas:
    Payment:
      type: object
      properties:
        status:
          type: string
          enum: [pending, succeeded, pending]
        kind:
          const: card
        tags:
          type: array
          items: {type: string}
          examples: [[a, b]]
        note:
          type: string
          description: null
          $comment: upstream note
"""


def _line(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


GENERIC = """\
# an upstream document, not the standard's: its guideline rules do not apply (structure and semantics do)
[rules]
guideline = "off"
"""


@pytest.fixture
def flawed(tmp_path: Path) -> Path:
    spec = tmp_path / "upstream.yaml"
    spec.write_text(FLAWED, encoding="utf-8")
    (tmp_path / "renkei.toml").write_text(GENERIC, encoding="utf-8")
    return spec


def test_each_repair_is_applied_and_located(flawed: Path) -> None:
    loaded = load_spec(flawed)
    repairs = repair(loaded)
    found = {(r.location.line if r.location else 0, r.message.split(" (at ")[0]) for r in repairs}
    assert found == {
        (_line(FLAWED, "description: null"), "`description: null` dropped"),
        (_line(FLAWED, "title: List payments"), "unknown field `title` of an operation dropped"),
        (_line(FLAWED, "default: 1"), '`default: 1` is not a string: became "1"'),
        (_line(FLAWED, 'default: "2"'), '`default: "2"` is not an integer: became 2'),
        (_line(FLAWED, "default: lots"), '`default: "lots"` is not an integer: dropped'),
        (_line(FLAWED, "enum: [pending"), 'repeated enum value "pending" dropped'),
        (_line(FLAWED, "const: card"), '`const: "card"` (OpenAPI 3.1) became `enum: ["card"]`'),
        (_line(FLAWED, "examples: [[a"), "`examples` (OpenAPI 3.1) became `example` (its first item)"),
        (_line(FLAWED, "          description: null"), "`description: null` dropped"),
        (_line(FLAWED, "$comment"), "unknown schema keyword `$comment` (OpenAPI 3.0) dropped"),
    }
    document = loaded.document
    assert list(OpenAPIV30SpecValidator(document).iter_errors()) == []
    payment = document["components"]["schemas"]["Payment"]["properties"]
    assert payment["status"]["enum"] == ["pending", "succeeded"]
    assert payment["kind"] == {"enum": ["card"]}
    assert payment["tags"]["example"] == ["a", "b"]
    limit, page, flag = document["paths"]["/payments"]["get"]["parameters"]
    assert (limit["schema"]["default"], page["schema"]["default"], "default" in flag["schema"]) == (
        "1",
        2,
        False,
    )


def test_strict_generation_refuses_and_lenient_generates_with_warnings(flawed: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    strict = runner.invoke(app, ["generate", str(flawed), "-o", str(tmp_path / "strict")])
    assert strict.exit_code == 1
    assert "upstream.yaml:" in strict.output
    lenient = runner.invoke(app, ["generate", str(flawed), "-o", str(tmp_path / "lenient"), "--lenient"])
    assert lenient.exit_code == 0, lenient.output
    warnings = [line for line in lenient.output.splitlines() if "warning [lenient-repair]" in line]
    assert len(warnings) == 10, lenient.output  # the lines of `renkei check --lenient`
    assert all(line.startswith(f"{flawed}:") or "upstream.yaml:" in line for line in warnings)
    assert (tmp_path / "lenient" / "upstream" / "upstream" / "server.py").is_file()


def test_other_errors_stay_errors_under_lenient(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(FLAWED.replace("info:\n  title: upstream\n", "info:\n"), encoding="utf-8")
    (tmp_path / "renkei.toml").write_text(GENERIC, encoding="utf-8")
    result = CliRunner().invoke(app, ["generate", str(spec), "-o", str(tmp_path / "out"), "--lenient"])
    assert result.exit_code == 1
    assert "broken.yaml:2:1: error [openapi-schema] 'title' is a required property" in result.output
    assert not (tmp_path / "out").exists()


def test_check_lenient_reports_the_repairs_as_generate_does(flawed: Path) -> None:
    strict = CliRunner().invoke(app, ["check", str(flawed)])
    assert strict.exit_code == 1
    assert "[openapi-schema]" in strict.output
    lenient = CliRunner().invoke(app, ["check", str(flawed), "--lenient"])
    assert lenient.exit_code == 0, lenient.output
    assert lenient.output.count("warning [lenient-repair]") == 10
    assert "[openapi-schema]" not in lenient.output


def test_convert_writes_the_repaired_document(flawed: Path, tmp_path: Path) -> None:
    out = tmp_path / "repaired.yaml"
    result = CliRunner().invoke(app, ["convert", str(flawed), "-o", str(out), "--lenient"])
    assert result.exit_code == 0, result.output
    assert "title: List payments" not in out.read_text(encoding="utf-8")


# --- `lenient = true` in the configuration instead of the flag -------------------------------------------


def _configure(directory: Path, text: str, name: str = "renkei.toml") -> None:
    (directory / name).write_text(text, encoding="utf-8")


def test_lenient_in_renkei_toml_is_the_flag(flawed: Path, tmp_path: Path) -> None:
    _configure(tmp_path, "lenient = true\n" + GENERIC)
    runner = CliRunner()
    checked = runner.invoke(app, ["check", str(flawed)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.count("warning [lenient-repair]") == 10
    generated = runner.invoke(app, ["generate", str(flawed), "-o", str(tmp_path / "out")])
    assert generated.exit_code == 0, generated.output
    assert generated.output.count("warning [lenient-repair]") == 10
    assert (tmp_path / "out" / "upstream" / "upstream" / "server.py").is_file()
    converted = runner.invoke(app, ["convert", str(flawed), "-o", str(tmp_path / "repaired.yaml")])
    assert converted.exit_code == 0, converted.output
    assert "title: List payments" not in (tmp_path / "repaired.yaml").read_text(encoding="utf-8")


def test_lenient_in_pyproject_tool_renkei(flawed: Path, tmp_path: Path) -> None:
    (tmp_path / "renkei.toml").unlink()
    _configure(
        tmp_path,
        '[project]\nname = "x"\n\n[tool.renkei]\nlenient = true\n\n[tool.renkei.rules]\nguideline = "off"\n',
        "pyproject.toml",
    )
    result = CliRunner().invoke(app, ["generate", str(flawed), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.output.count("warning [lenient-repair]") == 10


def test_turning_lenient_on_in_the_configuration_regenerates(flawed: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(app, ["generate", str(flawed), "-o", str(out)]).exit_code == 1  # strict: refused
    _configure(tmp_path, "lenient = true\n" + GENERIC)
    assert runner.invoke(app, ["generate", str(flawed), "-o", str(out)]).exit_code == 0
    manifest = (out / "upstream" / ".renkei-manifest.json").read_text(encoding="utf-8")
    assert "renkei.toml" in manifest  # the configuration is an input of the package
    _configure(tmp_path, "lenient = false\n" + GENERIC)  # changed: not fresh, checked again, refused
    refused = runner.invoke(app, ["generate", str(flawed), "-o", str(out)])
    assert refused.exit_code == 1
    assert "[openapi-schema]" in refused.output


@pytest.mark.parametrize("command", ["check", "generate", "convert"])
def test_a_lenient_that_is_not_a_boolean_is_a_usage_error(flawed: Path, tmp_path: Path, command: str) -> None:
    _configure(tmp_path, 'lenient = "yes"\n' + GENERIC)
    args = [command, str(flawed)] + (["-o", str(tmp_path / "out")] if command != "check" else [])
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "renkei.toml" in result.output and "lenient" in result.output


def test_repairs_are_reported_in_japanese_with_lang_ja(flawed: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(flawed), "--lenient", "--lang", "ja"])
    assert result.exit_code == 0, result.output
    repairs = [line for line in result.output.splitlines() if "[lenient-repair]" in line]
    assert len(repairs) == 10
    title = "操作の未知の項目 `title` を削除しました (場所 #/paths/~1payments/get/title)"
    assert any(title in line for line in repairs)
    assert all(" (場所 #/" in line and "dropped" not in line and "became" not in line for line in repairs)
