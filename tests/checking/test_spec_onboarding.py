"""The connector-onboarding data next to spec/: the API接続チェックリスト and the 契約条文例 skeleton."""

from __future__ import annotations

from typing import Any

import yaml
from checking_support import REPO

ONBOARDING = REPO / "spec" / "onboarding"


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((ONBOARDING / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _japanese(text: str) -> bool:
    return any(ord(char) > 0x3000 for char in text)


def test_checklist_items_are_complete_unique_and_in_a_known_category() -> None:
    checklist = _load("connection-checklist.yaml")
    assert checklist["kind"] == "renkei-connection-checklist"
    categories = {category["id"] for category in checklist["categories"]}
    ids = [item["id"] for item in checklist["items"]]
    assert len(ids) == len(set(ids)) and len(ids) >= 8
    for item in checklist["items"]:
        assert set(item) == {"id", "category", "question", "answer_policy", "evidence", "source"}, item
        assert item["category"] in categories
        assert _japanese(item["question"]) and _japanese(item["answer_policy"])
        assert item["evidence"] and all(isinstance(e, str) for e in item["evidence"])
    assert {item["category"] for item in checklist["items"]} == categories


def test_contract_clauses_cover_the_points_the_guidelines_name() -> None:
    clauses = _load("contract-clauses.yaml")
    assert clauses["kind"] == "renkei-contract-clauses"
    ids = [clause["id"] for clause in clauses["clauses"]]
    assert len(ids) == len(set(ids))
    # standards.md §5: compensation, handling of user information, suspension, sub-contractors.
    assert {"compensation", "user-information", "suspension", "subcontracting"} <= set(ids)
    for clause in clauses["clauses"]:
        assert _japanese(clause["title"]) and _japanese(clause["purpose"]) and clause["points"]
