"""`renkei docs` as a user runs it: a site from spec/, --check, rewriting, refusing a foreign directory,
a broken document at its file:line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from docs_support import REPO, SMALL_SPEC

RENKEI = [sys.executable, "-c", "from renkei.entry import main; main()"]  # as the console script


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RENKEI, "docs", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_docs_writes_the_site_of_a_spec_directory(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run("spec", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "3 APIs (bank-inquiry, bank-transfer, card)" in result.stdout
    page = (out / "bank-inquiry" / "operations" / "getBalance.html").read_text(encoding="utf-8")
    assert "支払可能残高" in page and "balances:read" in page
    assert (out / "search-index.json").is_file() and (out / "assets" / "style.css").is_file()
    assert run("spec", "-o", str(out), "--check").returncode == 0


def test_check_reports_a_stale_site_and_a_rewrite_removes_old_pages(tmp_path: Path) -> None:
    spec = tmp_path / "small.yaml"
    spec.write_text(SMALL_SPEC, encoding="utf-8")
    out = tmp_path / "site"
    assert run(str(spec), "-o", str(out)).returncode == 0
    spec.write_text(SMALL_SPEC.replace("operationId: cancelOrder\n", "operationId: voidOrder\n"), "utf-8")
    stale = run(str(spec), "-o", str(out), "--check")
    assert stale.returncode == 1
    assert "missing: small/operations/voidOrder.html" in stale.stderr
    assert "extra: small/operations/cancelOrder.html" in stale.stderr
    assert run(str(spec), "-o", str(out)).returncode == 0
    assert not (out / "small" / "operations" / "cancelOrder.html").exists()
    assert (out / "small" / "operations" / "voidOrder.html").is_file()


def test_docs_refuses_a_directory_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run(str(REPO / "spec"), "-o", str(tmp_path))
    assert result.returncode == 2 and "was not written by `renkei docs`" in result.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_broken_document_is_reported_at_its_line(tmp_path: Path) -> None:
    shutil.copytree(REPO / "spec", tmp_path / "spec")
    broken = tmp_path / "spec" / "card.yaml"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines[1] = "info: [unclosed"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("spec", "-o", "site", cwd=tmp_path)
    assert result.returncode == 2
    assert "card.yaml:" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nowhere"), "-o", str(tmp_path / "site"))
    assert result.returncode == 2 and "no such file or directory" in result.stderr
