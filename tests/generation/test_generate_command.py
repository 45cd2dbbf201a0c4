"""`renkei generate`: determinism, --check with a diff, overlays, the no-op path and clear errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from generic_spec import allow_generic_spec

from renkei.generation.command import run_generate

REPO = Path(__file__).resolve().parents[2]
MINI_BANK = REPO / "tests" / "runtime" / "server" / "specs" / "mini-bank.yaml"
FILES = ["__init__.py", "client.py", "models.py", "openapi.json", "py.typed", "server.py", "service.py"]
PROJECT_FILES = [".renkei-manifest.json", "README.md", "mini_bank", "pyproject.toml"]


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    target = tmp_path / "mini-bank.yaml"
    shutil.copy(MINI_BANK, target)
    allow_generic_spec(tmp_path)
    return target


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generates_the_package_layout(spec: Path, tmp_path: Path) -> None:
    assert run_generate([spec], tmp_path / "out", None, False) == 0
    project = tmp_path / "out" / "mini_bank"
    assert sorted(p.name for p in project.iterdir()) == sorted(PROJECT_FILES)
    package = project / "mini_bank"
    assert sorted(p.name for p in package.iterdir()) == sorted(FILES)
    assert 'name = "mini-bank"' in (project / "pyproject.toml").read_text()
    assert "class MiniBankService(typing.Protocol)" in (package / "service.py").read_text()


def test_a_package_prefix_names_the_import_package_and_distribution(spec: Path, tmp_path: Path) -> None:
    assert run_generate([spec], tmp_path / "out", None, False, package_prefix="acme_") == 0
    project = tmp_path / "out" / "mini_bank"
    assert sorted(p.name for p in (project / "acme_mini_bank").iterdir()) == sorted(FILES)
    pyproject = (project / "pyproject.toml").read_text()
    assert 'name = "acme-mini-bank"' in pyproject and 'packages = ["acme_mini_bank"]' in pyproject


def test_two_runs_give_identical_bytes(spec: Path, tmp_path: Path) -> None:
    assert run_generate([spec], tmp_path / "one", None, False) == 0
    assert run_generate([spec], tmp_path / "two", None, False) == 0
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert one == two
    assert b"datamodel-codegen" not in one["mini_bank/mini_bank/models.py"]  # no version/timestamp header


def test_check_passes_when_fresh_and_fails_with_a_diff_after_an_edit(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run_generate([spec], out, None, False) == 0
    assert run_generate([spec], out, None, True) == 0
    service = out / "mini_bank" / "mini_bank" / "service.py"
    original = service.read_text()
    service.write_text(original.replace("one method per operation", "hand edited"))
    capsys.readouterr()
    assert run_generate([spec], out, None, True) == 1
    captured = capsys.readouterr()
    assert '-    """ミニ銀行 API: hand edited."""' in captured.out
    assert '+    """ミニ銀行 API: one method per operation."""' in captured.out
    assert "stale" in captured.err
    assert service.read_text() != original  # --check never writes
    assert run_generate([spec], out, None, False) == 0
    assert service.read_text() == original


def test_check_detects_a_missing_file_and_a_changed_spec(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_generate([spec], out, None, False) == 0
    (out / "mini_bank" / "mini_bank" / "client.py").unlink()
    assert run_generate([spec], out, None, True) == 1
    assert run_generate([spec], out, None, False) == 0
    spec.write_text(spec.read_text().replace("operationId: listAccounts", "operationId: listAllAccounts"))
    assert run_generate([spec], out, None, True) == 1


def test_regeneration_keeps_files_it_did_not_write(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_generate([spec], out, None, False) == 0
    implementation = out / "mini_bank" / "mini_bank" / "my_service.py"
    implementation.write_text("IMPLEMENTED = True\n")
    spec.write_text(spec.read_text().replace("version: 1.0.0", "version: 1.0.1"))
    assert run_generate([spec], out, None, False) == 0
    assert implementation.read_text() == "IMPLEMENTED = True\n"


def test_overlay_templates_replace_files_one_by_one(spec: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "templates"
    overlay.mkdir()
    (overlay / "__init__.py.jinja").write_text(
        '"""Custom package {{ api.title }} with {{ api.operations | length }} ops."""\n'
    )
    out = tmp_path / "out"
    assert run_generate([spec], out, overlay, False) == 0
    assert (
        out / "mini_bank" / "mini_bank" / "__init__.py"
    ).read_text() == '"""Custom package ミニ銀行 API with 4 ops."""\n'
    assert (
        "class MiniBankService" in (out / "mini_bank" / "mini_bank" / "service.py").read_text()
    )  # built-in still used
    # Changing the overlay makes the output stale.
    (overlay / "__init__.py.jinja").write_text('"""Changed."""\n')
    assert run_generate([spec], out, overlay, True) == 1


def test_invalid_document_is_one_clear_line_with_the_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\ninfo:\n  title: t\npaths: {}\n")  # info.version missing
    allow_generic_spec(tmp_path)
    assert run_generate([bad], tmp_path / "out", None, False) == 1
    err = capsys.readouterr().err
    [error, summary] = err.splitlines()
    assert error.startswith(f"{bad}:2:") or "bad.yaml:2:" in error
    assert "[openapi-schema]" in error and "version" in error
    assert summary == "renkei generate: nothing generated: 1 error, 0 warnings in 1 document"
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "bad").exists()


def test_broken_yaml_and_missing_file_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: [unclosed\n")
    assert run_generate([broken], tmp_path / "out", None, False) == 1
    assert "broken.yaml:" in capsys.readouterr().err
    assert run_generate([tmp_path / "absent.yaml"], tmp_path / "out", None, False) == 1
    assert "no such file" in capsys.readouterr().err


def test_unchanged_run_is_a_no_op_that_does_not_import_the_model_generator(
    spec: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run_generate([spec], out, None, False) == 0
    before = {p: p.stat().st_mtime_ns for p in (out / "mini_bank" / "mini_bank").iterdir()}
    code = (
        "import sys; from pathlib import Path; from renkei.generation.command import run_generate;"
        f"rc = run_generate([Path({str(spec)!r})], Path({str(out)!r}), None, False);"
        "assert rc == 0, rc;"
        "assert 'datamodel_code_generator' not in sys.modules;"
        "assert 'renkei.loading' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=60)
    assert {p: p.stat().st_mtime_ns for p in (out / "mini_bank" / "mini_bank").iterdir()} == before


def test_output_does_not_depend_on_hash_seed_or_working_directory(spec: Path, tmp_path: Path) -> None:
    trees = []
    for seed, cwd in (("1", REPO), ("4242", tmp_path)):
        out = tmp_path / f"seed-{seed}"
        code = (
            "from pathlib import Path; from renkei.generation.command import run_generate;"
            f"raise SystemExit(run_generate([Path({str(spec)!r})], Path({str(out)!r}), None, False))"
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code], check=True, cwd=cwd, env=env, timeout=120)
        trees.append(_tree(out))
    assert trees[0] == trees[1]


MARK = f"RENKEI_TEST_RUN={uuid.uuid4().hex}"
"""In the environment of every `renkei` this module starts, and so of their children: the process check
below looks at these processes only, never at others on the machine."""


def _renkei(*args: str | Path) -> subprocess.CompletedProcess[str]:
    renkei = Path(sys.executable).parent / "renkei"
    name, _, value = MARK.partition("=")
    return subprocess.run(
        [str(renkei), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
        env={**os.environ, name: value},
    )


def _validation_children() -> list[str]:
    """Live processes started by this module's `renkei` runs (an orphaned child is re-parented to init, so
    it is found by its inherited environment, not by its parent)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environment = (proc / "environ").read_bytes().split(b"\0")
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if MARK.encode() in environment:
            found.append(command)
    return found


def test_the_command_prints_an_error_found_by_the_child(tmp_path: Path) -> None:
    bad = REPO / "tests" / "generation" / "invalid" / "duplicate-operation-id.yaml"
    process = _renkei("generate", bad, "-o", tmp_path / "out")
    assert process.returncode == 1
    [error, _] = process.stderr.splitlines()
    assert "duplicate-operation-id.yaml:15:" in error and "operationId 'listItems' is already used" in error
    assert not (tmp_path / "out").exists()


def test_the_command_writes_then_a_no_op_leaves_no_child_behind(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _renkei("generate", spec, "-o", out)
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")
    assert sorted(p.name for p in (out / "mini_bank" / "mini_bank").iterdir()) == sorted(FILES)
    again = _renkei("generate", spec, "-o", out, "--check")
    assert again.returncode == 0, again.stderr
    assert _validation_children() == []


def test_check_output_survives_the_fast_exit(tmp_path: Path) -> None:
    """`renkei check` leaves with os._exit: what it printed to a pipe must still arrive whole."""
    process = _renkei("check", REPO / "spec", "--format", "json")
    assert process.returncode == 0, process.stderr
    assert process.stdout.rstrip().endswith(("]", "}"))
