"""ECMA-262 patterns translated for pydantic: what pydantic accepts equals what ECMA-262 matches (regress,
the Rust implementation of ECMA regular expressions), on real-world patterns and generated strings."""

from __future__ import annotations

import re
from typing import Annotated, Any

import pydantic
import pytest
import regress
from hypothesis import given, settings
from hypothesis import strategies as st

from renkei.models.patterns import PatternError, translate

# (pattern, where it comes from, strings it must match, strings it must not match)
REAL_WORLD: list[tuple[str, str, list[str], list[str]]] = [
    (
        r"^(?!\s)(.*)(\S)$",
        "UK Open Banking x-idempotency-key",
        ["abc", "a b"],
        [" abc", "abc ", "ab\n", "a\u2028b"],
    ),
    (r"^[A-Z]{2,2}[0-9]{2,2}[a-zA-Z0-9]{1,30}$", "Berlin Group IBAN", ["DE89370400440532013000"], ["de89"]),
    (r"[A-Z]{6,6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3,3}){0,1}", "Berlin Group BIC", ["AAAADEBBXXX"], ["aaaa"]),
    (r"^\d{4}-\d{2}-\d{2}$", "ISO date", ["2026-12-04"], ["２０２６-12-04", "2026-12-04\n"]),
    (r"^\d+$", "digits", ["0123"], ["１２３", "12a"]),
    (r"^[0-9]{7}$", "Japanese account number", ["1234567"], ["１２３４５６７"]),
    (r"^[ｦ-ﾟ0-9A-Z ().,\-/]+$", "Zengin half-width kana", ["ｶ)ﾚﾝｹｲ"], ["カタカナ"]),
    (r"^[ァ-ヶー　]+$", "full-width katakana with ideographic space", ["カタカナ　ー"], ["ｶﾀｶﾅ"]),
    (r"^\p{Script=Hiragana}+$", "hiragana (Unicode script)", ["ひらがな"], ["カタカナ", "abc"]),
    (r"^[\p{L}\p{Nd} ]+$", "letters and decimal digits (Unicode classes)", ["名前 Name １２"], ["a!"]),
    (r"(?<!\d)\d{7}(?!\d)", "seven digits alone (look-behind and look-ahead)", ["No. 1234567"], ["12345678"]),
    (r"(?<=JPY )\d+", "look-behind", ["JPY 100"], ["USD 100"]),
    (r"^([a-z])\1$", "backreference", ["aa"], ["ab"]),
    (r"^(?<q>['\"]).*\k<q>$", "named backreference", ["'x'", '"y"'], ["'z\""]),
    (r"^[^\s@]+@[^\s@]+\.[^\s@]+$", "e-mail shape", ["a@b.jp"], ["a b@c.jp", "a@b"]),
    (r"^\+?[1-9]\d{1,14}$", "E.164 phone", ["+819012345678"], ["+0123", "+８１"]),
    (r"^[\w.-]+$", "word characters (ASCII in ECMA)", ["a_b.c-d"], ["ａ", "é"]),
    (r"^.+$", "dot stops at line terminators", ["x"], ["a\nb", "a\rb", "a\u2028b"]),
    (r"^\s*$", "ECMA whitespace", [" \t\u3000\ufeff"], ["\x1c"]),
    (
        r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
        "UUID v4",
        ["0b5cbd3b-2d8e-4f9c-9d84-0a1b2c3d4e5f"],
        ["0B5CBD3B-2D8E-4F9C-9D84-0A1B2C3D4E5F"],
    ),
    (r"^\u3042+$", "\\u escape", ["ああ"], ["a"]),
    (r"\bpay\b", "ASCII word boundary", ["to pay now"], ["payment", "ｐay"]),
    (r"^a{2}\/b$", "identity escape of /", ["aa/b"], ["aab"]),
    (r"^[\[\]]+$", "brackets in a class", ["[]"], ["a"]),
    (r"^x{$", "a literal brace (Annex B)", ["x{"], ["x"]),
]


def ecma_matches(pattern: str, text: str) -> bool:
    flags = "u" if ("\\p{" in pattern or "\\P{" in pattern or "\\u{" in pattern) else ""
    return regress.Regex(pattern, flags).find(text) is not None


def pydantic_accepts(pattern: str, text: str) -> bool:
    translated = translate(pattern)
    compiled: Any = re.compile(translated.text) if translated.engine == "python-re" else translated.text
    adapter: pydantic.TypeAdapter[str] = pydantic.TypeAdapter(
        Annotated[str, pydantic.Field(pattern=compiled)]
    )
    try:
        adapter.validate_python(text)
    except pydantic.ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    ("pattern", "origin", "good", "bad"), REAL_WORLD, ids=[case[1] for case in REAL_WORLD]
)
def test_real_world_patterns_mean_what_ecma_262_means(
    pattern: str, origin: str, good: list[str], bad: list[str]
) -> None:
    for text in good:
        assert ecma_matches(pattern, text), f"the case is wrong: ECMA does not match {text!r}"
        assert pydantic_accepts(pattern, text), f"{origin}: {text!r} refused"
    for text in bad:
        assert not ecma_matches(pattern, text), f"the case is wrong: ECMA matches {text!r}"
        assert not pydantic_accepts(pattern, text), f"{origin}: {text!r} accepted"


def test_engines_are_chosen_by_need() -> None:
    assert translate(r"^\d{3}$").engine == "rust-regex"
    assert translate(r"^\p{Script=Katakana}+$").engine == "rust-regex"
    assert translate(r"^(?!\s)(.*)(\S)$").engine == "python-re"
    assert translate(r"^([a-z])\1$").engine == "python-re"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(?<=a)\p{L}", "needs Python's regex engine and the property class"),
        (r"(abc", "unbalanced `(`"),
        (r"abc)", "unbalanced `)`"),
        (r"[abc", "unterminated character class"),
        (r"\q", "unknown escape `\\q`"),
    ],
)
def test_patterns_no_engine_runs_are_refused_with_the_reason(pattern: str, message: str) -> None:
    with pytest.raises(PatternError, match=re.escape(message)):
        translate(pattern)


ALPHABET = st.sampled_from([*"aAzZ09_-. @/\n\r\t\u3000\u2028\ufeff１２ｱカひ漢é'\"[]{}", "JPY ", "pay"])


@settings(max_examples=60, deadline=None)
@given(case=st.sampled_from(REAL_WORLD), text=st.lists(ALPHABET, max_size=12).map("".join))
def test_pydantic_agrees_with_ecma_262_on_generated_strings(
    case: tuple[str, str, list[str], list[str]], text: str
) -> None:
    pattern = case[0]
    assert pydantic_accepts(pattern, text) == ecma_matches(pattern, text), (pattern, text)


def _python_compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


@settings(max_examples=100, deadline=None)
@given(case=st.sampled_from([c for c in REAL_WORLD if _python_compiles(c[0])]), data=st.data())
def test_strings_python_would_match_are_judged_as_ecma_262_does(
    case: tuple[str, str, list[str], list[str]], data: st.DataObject
) -> None:
    """Strings drawn from the pattern read as a Python regex (where `\\d` yields `１２３` and `$` a final
    newline): the translated pattern still judges them as ECMA-262 does."""
    text = data.draw(st.from_regex(case[0]))
    assert pydantic_accepts(case[0], text) == ecma_matches(case[0], text), (case[0], text)
