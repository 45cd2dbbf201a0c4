"""`renkei convert SPEC -o OUT`: Swagger 2.0 in, one OpenAPI 3.0.3 file out that openapi-spec-validator
accepts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from renkei.cli import app
from renkei.loading import load_spec

CORPUS = Path(__file__).parent / "corpus"
SWAGGER = sorted(CORPUS.glob("swagger2-*.yaml"))
VALIDATOR = Path(sys.executable).parent / "openapi-spec-validator"


def convert(*args: str):
    return CliRunner().invoke(app, ["convert", *args])


@pytest.mark.parametrize("spec", SWAGGER, ids=lambda path: path.stem)
def test_converted_file_passes_openapi_spec_validator(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / f"{spec.stem}.yaml"
    result = convert(str(spec), "-o", str(out))
    assert result.exit_code == 0, result.output
    checked = subprocess.run([str(VALIDATOR), str(out)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert written["openapi"] == "3.0.3"
    assert written == load_spec(spec).document  # what renkei generates from, written as is
    assert "\\u" not in out.read_text(encoding="utf-8")  # Japanese stays readable


def test_json_output_and_stdout(tmp_path: Path) -> None:
    spec = next(path for path in SWAGGER if "webhook" in path.stem)
    out = tmp_path / "webhook.json"
    assert convert(str(spec), "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == load_spec(spec).document
    printed = convert(str(spec))
    assert printed.exit_code == 0
    assert yaml.safe_load(printed.stdout) == load_spec(spec).document


def test_an_invalid_document_is_reported_with_its_line_and_nothing_is_written(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths:\n  /a/{id}:\n    get:\n'
        "      responses: {'200': {description: ok}}\n"
        "      parameters:\n        - {name: id, in: query, type: strin}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.yaml"
    result = convert(str(spec), "-o", str(out))
    assert result.exit_code == 1
    assert "bad.yaml:8:" in result.output
    assert not out.exists()
