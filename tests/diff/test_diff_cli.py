"""`renkei diff` as a user runs it: exit codes, JSON and Markdown, directories and git revisions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from diff_corpus import CORPUS, REPO

RENKEI = [sys.executable, "-c", "from renkei.cli import main; main()"]


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RENKEI, "diff", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def pair(name: str) -> tuple[str, str]:
    return str(CORPUS / name / "old.yaml"), str(CORPUS / name / "new.yaml")


def test_breaking_without_major_bump_exits_1_and_names_the_change():
    done = run(*pair("response-property-removed"))
    assert done.returncode == 1, done.stderr
    assert "property `nickname` removed" in done.stdout
    assert "new.yaml" not in done.stdout.split("removed")[1].splitlines()[0]  # a removal is located in OLD
    assert "old.yaml:" in done.stdout
    assert "BREAKING without a major bump" in done.stdout


def test_compatible_change_exits_0():
    done = run(*pair("response-property-added"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "new property `branchName`" in done.stdout


def test_json_output(tmp_path: Path):
    old, new = pair("operation-id-renamed")
    done = run(old, new, "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ok"] is False
    (api,) = report["apis"]
    kinds = {c["kind"]: c for c in api["changes"] if c["severity"] == "breaking"}
    assert set(kinds) == {"operation-id-changed", "client-method-renamed"}
    renamed = kinds["client-method-renamed"]
    assert "get_account() renamed to get_account_detail()" in renamed["message"]
    assert renamed["file"].endswith("new.yaml") and isinstance(renamed["line"], int)
    assert renamed["pointer"] == "#/paths/~1accounts~1{accountId}/get/operationId"
    assert api["verdict"]["needed"] == "major" and api["verdict"]["made"] == "none"


def test_markdown_output_for_a_changelog():
    done = run(*pair("request-enum-value-removed"), "--format", "markdown")
    assert done.stdout.startswith("## new.yaml 1.0.0 → 1.0.0\n")
    assert "### Breaking changes" in done.stdout
    assert "enum value 'rent' removed" in done.stdout


def test_major_bump_makes_breaking_changes_acceptable(tmp_path: Path):
    old, new = pair("operation-removed")
    bumped = tmp_path / "new.yaml"
    bumped.write_text(Path(new).read_text().replace("version: 1.0.0", "version: 2.0.0"))
    done = run(old, str(bumped))
    assert done.returncode == 0, done.stdout
    assert "operation removed" in done.stdout


def test_directories_are_matched_by_file_name(tmp_path: Path):
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(REPO / "spec", old)
    shutil.copytree(REPO / "spec", new)
    (new / "card.yaml").unlink()
    done = run(str(old), str(new), "--format", "json")
    report = json.loads(done.stdout)
    apis = {api["api"]: api for api in report["apis"]}
    assert set(apis) == {"bank-inquiry.yaml", "bank-transfer.yaml", "card.yaml"}
    assert apis["bank-inquiry.yaml"]["changes"] == []
    assert [c["kind"] for c in apis["card.yaml"]["changes"]] == ["api-removed"]
    assert done.returncode == 1


def test_missing_input_is_a_usage_error(tmp_path: Path):
    done = run(str(tmp_path / "nope.yaml"), str(tmp_path / "other.yaml"))
    assert done.returncode == 2
    assert "no such file" in done.stderr


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_git_revisions_resolve_refs_at_each_revision(tmp_path: Path):
    """v1 and HEAD of a multi-file spec: the change is in the referenced file, and both revisions are
    read from git (the work tree holds a third, unrelated state)."""
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "multi-file-shared-component" / "old", repo / "spec")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "v1")
    _git(repo, "tag", "v1.0.0")
    shutil.copy(CORPUS / "multi-file-shared-component" / "new" / "components.yaml", repo / "spec")
    _git(repo, "commit", "-q", "-am", "v2")
    (repo / "spec" / "components.yaml").write_text("broken: [\n")  # the work tree must not be read
    done = run("v1.0.0..HEAD", "spec/", "--format", "json", cwd=repo)
    assert done.returncode == 1, done.stderr
    (api,) = json.loads(done.stdout)["apis"]
    assert api["old"] == "v1.0.0:spec/api.yaml" and api["new"] == "HEAD:spec/api.yaml"
    (change,) = [c for c in api["changes"] if c["severity"] == "breaking"]
    assert change["kind"] == "request-pattern-changed"
    assert change["file"] == "HEAD:spec/components.yaml" and change["line"] == 9
    # REV against the work tree: the broken work-tree file is reported, not a traceback.
    done = run("v1.0.0", "spec/api.yaml", cwd=repo)
    assert done.returncode == 2 and "components.yaml" in done.stderr
