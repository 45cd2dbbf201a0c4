"""The rule registry, its catalogue in both languages, and its documentation."""

from __future__ import annotations

import re

from checking_support import REPO, run_cli

from renkei.checking.catalogue import catalogue
from renkei.checking.docs import catalogue_markdown
from renkei.checking.findings import Severity
from renkei.checking.rules import all_rules

RULES_MD = REPO / "docs" / "rules.md"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_every_rule_is_named_and_described_in_both_languages():
    rules = list(all_rules())
    assert len(rules) >= 18
    for rule in rules:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.id)
        assert isinstance(rule.severity, Severity)
        assert rule.group in ("guideline", "semantic")
    for entry in catalogue():
        assert entry.description.en and "\n" not in entry.description.en
        assert JAPANESE.search(entry.description.ja), f"{entry.id} has no Japanese description"


def test_every_rule_is_documented_in_the_rules_table():
    table = RULES_MD.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", table, re.M))
    assert {entry.id for entry in catalogue()} <= documented


def test_the_catalogue_in_docs_is_the_registry():
    text = RULES_MD.read_text(encoding="utf-8")
    start = text.index("<!-- catalogue:")
    start = text.index("\n", start) + 1
    end = text.index("<!-- end of catalogue -->")
    assert text[start:end] == catalogue_markdown(), "regenerate the catalogue table in docs/rules.md"


def test_list_rules_prints_the_catalogue_in_each_language():
    english = run_cli("check", "--list-rules")
    japanese = run_cli("check", "--list-rules", "--lang", "ja")
    assert english.returncode == japanese.returncode == 0
    assert len(english.stdout.splitlines()) == len(japanese.stdout.splitlines()) == len(catalogue())
    assert "example-schema [semantic, error] every example" in english.stdout
    assert "example-schema [semantic, error] すべての example" in japanese.stdout
