"""Structural error messages: the validator's meaning first, the offending value shortened after it, and
never cut inside a word."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renkei.generation.structure import find_structure_problem, shorten


def test_the_meaning_comes_before_a_shortened_value() -> None:
    operation = {
        "responses": {"200": {"description": "ok"}},
        "parameters": [{"name": "x" * 400, "in": "nowhere"}],
    }
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": operation}},
    }
    problem = find_structure_problem(document)
    assert problem is not None
    assert problem.message.startswith("is not valid under any of the"), problem.message
    assert ': {"in":"nowhere"' in problem.message
    assert len(problem.message) <= 300
    assert problem.message.endswith("…")


WORDS = st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=15), min_size=1, max_size=60)


@given(WORDS.map(" ".join), st.integers(min_value=20, max_value=200))
def test_shortened_text_ends_at_a_word_boundary(text: str, limit: int) -> None:
    short = shorten(text, limit)
    assert len(short) <= limit
    if short != text:
        kept = short.removesuffix("…")
        assert text.startswith(kept)
        assert text[len(kept)] == " "  # the next character is a space: no word was cut
        assert re.fullmatch(r"[a-j ]*[a-j]", kept)


@pytest.mark.parametrize("text", ["a" * 500, "https://example.com/" + "b" * 400])
def test_one_long_token_is_still_bounded(text: str) -> None:
    assert len(shorten(text, 100)) <= 100
