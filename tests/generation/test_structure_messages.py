"""Structural error messages: the validator's meaning first, the offending value shortened after it, and
never cut inside a word (the one wording of `renkei check`, `generate` and `convert`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renkei.checking.schema_messages import shorten
from renkei.checking.structure import validate_structure
from renkei.loading import load_spec


def _messages(tmp_path: Path, document: dict[str, object]) -> list[tuple[tuple[object, ...], str]]:
    spec = tmp_path / "doc.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    return [(pointer, text.en) for pointer, text in validate_structure(load_spec(spec))]


def _document(paths: dict[str, object]) -> dict[str, object]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


def test_the_meaning_comes_before_a_shortened_value(tmp_path: Path) -> None:
    item = [{"description": "word " * 40}]
    [(pointer, message)] = _messages(tmp_path, _document({"/a": item}))
    assert pointer == ("paths", "/a")
    assert message.startswith("is not of type 'object': "), message
    assert len(message) <= 300
    assert message.endswith("…")


def test_the_deepest_reason_of_a_one_of_names_every_allowed_value(tmp_path: Path) -> None:
    operation = {
        "responses": {"200": {"description": "ok"}},
        "parameters": [{"name": "x" * 400, "in": "nowhere", "schema": {"type": "string"}}],
    }
    [(pointer, message)] = _messages(tmp_path, _document({"/a": {"get": operation}}))
    assert pointer == ("paths", "/a", "get", "parameters", 0, "in")
    assert message == "'nowhere' is not one of ['path', 'query', 'header', 'cookie']"


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
