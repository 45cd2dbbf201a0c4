"""The rule registry and its documentation."""

from __future__ import annotations

import re

from checking_support import REPO

from renkei.checking.findings import Severity
from renkei.checking.rules import all_rules


def test_every_rule_is_named_and_described():
    rules = list(all_rules())
    assert len(rules) >= 15
    for rule in rules:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.id)
        assert isinstance(rule.severity, Severity)
        assert rule.description and "\n" not in rule.description


def test_every_rule_is_documented_in_the_rules_table():
    table = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", table, re.M))
    assert {rule.id for rule in all_rules()} <= documented
