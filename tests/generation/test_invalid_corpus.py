"""Invalid documents: `renkei generate` refuses with `renkei check`'s finding (one line naming file and
line) and a summary line, exit 1, no traceback.

Each document in `invalid/` starts with `# expect: <line> <substring of the message>`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from renkei.cli import app as renkei_app

INVALID = Path(__file__).parent / "invalid"
EXPECT = re.compile(r"^# expect: (\d+) (.+)$")

# case -> reason: the generator does not (yet) name the right line; strict so that a fix shows up.
LOCATION_XFAIL: dict[str, str] = {}


def invalid_cases() -> list[Path]:
    return sorted(INVALID.glob("*.yaml"))


def expectation(spec: Path) -> tuple[int, str]:
    first_line = spec.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECT.match(first_line)
    assert match, f"{spec.name}: the first line must be `# expect: <line> <message substring>`"
    return int(match.group(1)), match.group(2)


def generate(spec: Path, out: Path) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(renkei_app, ["generate", str(spec), "-o", str(out)], catch_exceptions=True)
    return result.exit_code, result.output, result.exception


def test_there_are_enough_invalid_documents() -> None:
    assert len(invalid_cases()) >= 8


def with_known_failures(specs: list[Path], known: dict[str, str]) -> list[object]:
    """`specs` as parameters; those in `known` marked as strict xfails with their reason."""
    return [
        pytest.param(spec, id=spec.stem, marks=[pytest.mark.xfail(strict=True, reason=known[spec.stem])])
        if spec.stem in known
        else pytest.param(spec, id=spec.stem)
        for spec in specs
    ]


@pytest.mark.parametrize("spec", with_known_failures(invalid_cases(), LOCATION_XFAIL))
def test_invalid_document_names_the_spot(spec: Path, tmp_path: Path) -> None:
    line, message = expectation(spec)
    exit_code, output, exception = generate(spec, tmp_path / "out")
    assert exit_code == 1, f"exit {exit_code}: {output}"
    assert exception is None or isinstance(exception, SystemExit), f"uncaught {exception!r}"
    assert "Traceback" not in output
    *errors, summary = [text for text in output.splitlines() if text.strip()]
    assert len(errors) == 1, f"expected one finding, got: {output}"
    assert summary.startswith("renkei generate: nothing generated: 1 error"), summary
    assert f"{spec.name}:{line}:" in errors[0], f"expected {spec.name}:{line}: in {errors[0]!r}"
    assert message.lower() in errors[0].lower(), f"expected {message!r} in {errors[0]!r}"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.py"))


def test_real_process_prints_no_traceback(tmp_path: Path) -> None:
    spec = INVALID / "broken-yaml.yaml"
    line, message = expectation(spec)
    renkei = Path(sys.executable).parent / "renkei"
    process = subprocess.run(
        [str(renkei), "generate", str(spec), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 1
    assert "Traceback" not in process.stdout + process.stderr
    assert process.stdout == ""
    [error, summary] = process.stderr.strip().splitlines()
    assert summary.startswith("renkei generate: nothing generated")
    assert f"{spec.name}:{line}:" in error and message.lower() in error.lower()
