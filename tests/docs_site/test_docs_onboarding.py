"""The API接続チェックリスト and the 契約条文例 skeleton (spec/onboarding/*.yaml) as pages of the reference:
found next to the specs, every item rendered, linked from the top page; a broken file is a clear error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from docs_support import REPO, SPECS, small_spec

from renkei.docs_site import build_site
from renkei.docs_site.onboarding import OnboardingError, find_onboarding
from renkei.loading import load_spec


def test_both_documents_are_found_next_to_the_specs_and_every_item_is_rendered() -> None:
    docs = find_onboarding(SPECS)
    assert [doc.kind for doc in docs] == ["renkei-connection-checklist", "renkei-contract-clauses"]
    pages = build_site([load_spec(path) for path in SPECS], onboarding=docs)
    checklist = pages["onboarding/connection-checklist.html"]
    data = yaml.safe_load((REPO / "spec" / "onboarding" / "connection-checklist.yaml").read_text("utf-8"))
    for item in data["items"]:
        assert f'id="item-{item["id"]}"' in checklist
        assert item["question"] in checklist
    assert "情報・セキュリティ管理態勢" in checklist  # the category's name, not its id
    clauses = pages["onboarding/contract-clauses.html"]
    data = yaml.safe_load((REPO / "spec" / "onboarding" / "contract-clauses.yaml").read_text("utf-8"))
    for clause in data["clauses"]:
        assert f'id="clause-{clause["id"]}"' in clauses and clause["title"] in clauses
    top = pages["index.html"]
    assert 'href="onboarding/connection-checklist.html"' in top
    assert 'href="onboarding/contract-clauses.html"' in top
    assert 'href="../index.html"' in checklist  # links back work from the sub-folder


def test_a_spec_without_an_onboarding_folder_has_no_such_pages(tmp_path: Path) -> None:
    spec = small_spec(tmp_path)
    assert find_onboarding([spec]) == []
    pages = build_site([load_spec(spec)])
    assert not any(path.startswith("onboarding/") for path in pages)


def test_a_broken_onboarding_file_names_itself(tmp_path: Path) -> None:
    spec = small_spec(tmp_path)
    folder = spec.parent / "onboarding"
    folder.mkdir()
    (folder / "checklist.yaml").write_text("kind: [unclosed\n", encoding="utf-8")
    with pytest.raises(OnboardingError, match=r"checklist\.yaml"):
        find_onboarding([spec])
    result = subprocess.run(
        [str(Path(sys.executable).parent / "renkei"), "docs", str(spec), "-o", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "checklist.yaml" in result.stderr


def test_other_yaml_files_in_the_folder_are_left_alone(tmp_path: Path) -> None:
    spec = small_spec(tmp_path)
    folder = spec.parent / "onboarding"
    folder.mkdir()
    (folder / "notes.yaml").write_text("kind: something-else\n", encoding="utf-8")
    assert find_onboarding([spec]) == []
