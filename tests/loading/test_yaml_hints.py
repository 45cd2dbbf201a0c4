"""YAML syntax errors carry a hint for the commonest causes in Japanese specs."""

from __future__ import annotations

import pytest

from renkei.loading import SpecError, load_spec

HEAD = "openapi: 3.1.0\ninfo:\n  title: t\n"


def error_for(write_files, text: str) -> SpecError:
    root = write_files(**{"api.yaml": text})
    with pytest.raises(SpecError) as caught:
        load_spec(root / "api.yaml")
    assert caught.value.rule == "yaml-syntax"
    return caught.value


def test_an_unquoted_colon_in_a_value(write_files):
    error = error_for(write_files, HEAD + "  summary: 残高照会: 現在残高\n  version: 1.0.0\n")
    assert error.location is not None and error.location.line == 4
    assert "quote the whole value: summary: '残高照会: 現在残高'" in error.message
    assert "値全体を引用符で囲んでください" in error.text.ja


def test_a_full_width_colon_after_a_key(write_files):
    error = error_for(write_files, "openapi: 3.1.0\ninfo:\n  title：t\n  version: 1.0.0\n")
    assert "line 3 has a full-width colon" in error.message
    assert "全角コロン" in error.text.ja


def test_a_full_width_space_in_the_indentation(write_files):
    error = error_for(write_files, HEAD + "  version: 1.0.0\npaths:\n  /a:\n\u3000 get: {}\n  /b: {}\n")
    assert "full-width space" in error.message and "全角スペース" in error.text.ja


def test_indentation_that_does_not_line_up(write_files):
    error = error_for(write_files, "openapi: 3.1.0\ninfo:\n    title: t\n  version: 1.0.0\n")
    assert "check the indentation around line 4" in error.message
    assert "line 3 is indented by 4 spaces, line 4 by 2" in error.message
    assert "インデント" in error.text.ja


def test_a_tab_in_the_indentation(write_files):
    error = error_for(write_files, "openapi: 3.1.0\npaths:\n\t/a: {}\n")
    assert "tab" in error.message


def test_an_error_with_no_known_cause_has_no_invented_hint(write_files):
    error = error_for(write_files, "openapi: 3.1.0\ninfo: 'unclosed\n")
    assert "hint" not in error.message
