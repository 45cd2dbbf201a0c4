"""ECMA-262 `pattern`s (what OpenAPI and JSON Schema mean) translated for pydantic's two regex engines.

pydantic validates `Field(pattern=...)` with Rust's `regex` crate by default, which has no look-around and no
backreferences; Python's `re` has those but no `\\p{...}` property classes. And a pattern copied verbatim
means something else in either engine: ECMA's `\\d` is `[0-9]` only (both engines also match full-width
`１２３`), `\\w` is ASCII, `\\s` is a fixed list, `.` stops at four line terminators, and `$` is the very end
(Python's `$` also matches before a final newline). `translate` rewrites a pattern token by token into an
equivalent one for the engine it needs: Rust's when it can (fast, the default), else Python's `re`, which
generated code passes as a compiled `re.Pattern` (pydantic then uses Python's engine for that field only).
A pattern that needs both (a look-around and a `\\p{...}`), or is not valid ECMA-262, is a PatternError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["Engine", "PatternError", "TranslatedPattern", "translate"]

Engine = Literal["rust-regex", "python-re"]

_ECMA_SPACE = "\\t\\n\\x0b\\f\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_WORD = "A-Za-z0-9_"
# ECMA's `\b` is an ASCII word boundary; Python's follows Unicode `\w` (Rust's is spelt `(?-u:\b)`).
_PYTHON_BOUNDARY = f"(?:(?<=[{_WORD}])(?![{_WORD}])|(?<![{_WORD}])(?=[{_WORD}]))"
_PYTHON_NOT_BOUNDARY = f"(?:(?<=[{_WORD}])(?=[{_WORD}])|(?<![{_WORD}])(?![{_WORD}]))"
_NOT_LINE_END = "[^\\n\\r\\u2028\\u2029]"
_QUANTIFIER = re.compile(r"\{[0-9]+(?:,[0-9]*)?\}")
_GROUP_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_CONTROL_ESCAPES = {"t": "\\t", "n": "\\n", "r": "\\r", "f": "\\f", "v": "\\x0b"}
# Outside a class, both engines accept these escaped; any other punctuation is written plain.
_META = set("\\.+*?()|[]{}^$-#&~")


class PatternError(ValueError):
    """A pattern that is not valid ECMA-262, or that no engine of pydantic can run as written."""


@dataclass(frozen=True)
class TranslatedPattern:
    source: str
    engine: Engine
    text: str
    """The pattern for `engine`, meaning what `source` means in ECMA-262."""


@dataclass
class _Output:
    rust: list[str]
    python: list[str]

    def add(self, both: str, python: str | None = None) -> None:
        self.rust.append(both)
        self.python.append(both if python is None else python)


class _Translator:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.position = 0
        self.out = _Output([], [])
        self.needs_python: list[str] = []
        self.needs_rust: list[str] = []
        self.groups = 0

    def fail(self, message: str) -> PatternError:
        return PatternError(f"pattern {self.pattern!r}: {message} (at offset {self.position})")

    def peek(self, text: str) -> bool:
        return self.pattern.startswith(text, self.position)

    def run(self) -> TranslatedPattern:
        pattern = self.pattern
        depth = 0
        while self.position < len(pattern):
            char = pattern[self.position]
            if char == "\\":
                self.escape(in_class=False)
            elif char == "[":
                self.character_class()
            elif char == "(":
                depth += 1
                self.group()
            elif char == ")":
                if depth == 0:
                    raise self.fail("unbalanced `)`")
                depth -= 1
                self.out.add(")")
                self.position += 1
            elif char == "{":
                quantifier = _QUANTIFIER.match(pattern, self.position)
                if quantifier:
                    self.out.add(quantifier.group(0))
                    self.position = quantifier.end()
                else:  # a literal brace (ECMA-262 Annex B)
                    self.out.add("\\{")
                    self.position += 1
            elif char == "}":
                self.out.add("\\}")
                self.position += 1
            elif char == ".":
                self.out.add(_NOT_LINE_END)
                self.position += 1
            elif char == "$":
                self.out.add("$", "\\Z")  # the end of the input, not before a final newline
                self.position += 1
            else:
                self.out.add(char)
                self.position += 1
        if depth:
            raise self.fail("unbalanced `(`")
        if self.needs_python and self.needs_rust:
            raise PatternError(
                f"pattern {pattern!r}: {self.needs_python[0]} needs Python's regex engine and"
                f" {self.needs_rust[0]} needs Rust's; no engine of pydantic runs both"
            )
        if self.needs_python:
            return TranslatedPattern(pattern, "python-re", "".join(self.out.python))
        return TranslatedPattern(pattern, "rust-regex", "".join(self.out.rust))

    def group(self) -> None:
        pattern = self.pattern
        for opener, what in (("(?=", "look-ahead"), ("(?!", "look-ahead"), ("(?<=", "look-behind"),
                             ("(?<!", "look-behind")):  # fmt: skip
            if self.peek(opener):
                self.needs_python.append(f"the {what} `{opener}`")
                self.out.add(opener)
                self.position += len(opener)
                return
        if self.peek("(?:"):
            self.out.add("(?:")
            self.position += 3
            return
        if self.peek("(?<"):
            name = _GROUP_NAME.match(pattern, self.position + 3)
            if not name or not pattern.startswith(">", name.end()):
                raise self.fail("bad group name")
            self.groups += 1
            self.out.add(f"(?P<{name.group(0)}>")
            self.position = name.end() + 1
            return
        if self.peek("(?"):
            raise self.fail("unsupported group `(?`")
        self.groups += 1
        self.out.add("(")
        self.position += 1

    def character_class(self) -> None:
        pattern = self.pattern
        self.position += 1
        negated = self.peek("^")
        if negated:
            self.position += 1
        if self.peek("]"):  # `[]` matches nothing, `[^]` anything
            self.position += 1
            self.out.add("[\\s\\S]" if negated else "(?!)")
            if not negated:
                self.needs_python.append("the empty class `[]`")
            return
        self.out.add("[^" if negated else "[")
        while True:
            if self.position >= len(pattern):
                raise self.fail("unterminated character class")
            char = pattern[self.position]
            if char == "]":
                self.out.add("]")
                self.position += 1
                return
            if char == "\\":
                self.escape(in_class=True)
            elif char == "[" or (char in "&~|-" and self.doubled(char)):
                self.out.add("\\" + char)  # a nested class or a set operation (`&&`) in Rust and Python
                self.position += 1
            else:
                self.out.add(char)
                self.position += 1

    def doubled(self, char: str) -> bool:
        """Whether `char` at the current position stands next to another one (`&&`, `--`, `~~`, `||`)."""
        before = self.pattern[self.position - 1] if self.position else ""
        after = self.pattern[self.position + 1 : self.position + 2]
        return char in (before, after)

    def escape(self, *, in_class: bool) -> None:
        pattern = self.pattern
        if self.position + 1 >= len(pattern):
            raise self.fail("`\\` at the end")
        char = pattern[self.position + 1]
        self.position += 2
        if char == "d":
            self.out.add("0-9" if in_class else "[0-9]")
        elif char == "D":
            self.out.add("\\D" if in_class else "[^0-9]")  # in a class: also not full-width digits
        elif char == "w":
            self.out.add(_WORD if in_class else f"[{_WORD}]")
        elif char == "W":
            self.out.add("\\W" if in_class else f"[^{_WORD}]")
        elif char == "s":
            self.out.add(_ECMA_SPACE if in_class else f"[{_ECMA_SPACE}]")
        elif char == "S":
            self.out.add("\\S" if in_class else f"[^{_ECMA_SPACE}]")
        elif char in "bB" and not in_class:
            self.out.add(f"(?-u:\\{char})", _PYTHON_BOUNDARY if char == "b" else _PYTHON_NOT_BOUNDARY)
        elif char == "b":  # backspace inside a class
            self.out.add("\\x08")
        elif char in _CONTROL_ESCAPES:
            self.out.add(_CONTROL_ESCAPES[char])
        elif char == "0" and not (self.position < len(pattern) and pattern[self.position].isdigit()):
            self.out.add("\\x00")
        elif char.isdigit():
            digits = re.match(r"[0-9]*", pattern[self.position :])
            number = char + (digits.group(0) if digits else "")
            self.position += len(number) - 1
            self.needs_python.append(f"the backreference `\\{number}`")
            self.out.add(f"\\{number}", f"(?:\\{number})")
        elif char == "k" and self.peek("<"):
            name = _GROUP_NAME.match(pattern, self.position + 1)
            if not name or not pattern.startswith(">", name.end()):
                raise self.fail("bad backreference name")
            self.position = name.end() + 1
            self.needs_python.append(f"the backreference `\\k<{name.group(0)}>`")
            self.out.add(f"(?P={name.group(0)})")
        elif char in "pP":
            end = pattern.find("}", self.position)
            if not self.peek("{") or end < 0:
                self.out.add(char)  # `\p` without braces is an identity escape outside unicode mode
                return
            body = pattern[self.position : end + 1]
            self.position = end + 1
            self.needs_rust.append(f"the property class `\\{char}{body}`")
            self.out.add(f"\\{char}{body}")
        elif char == "u":
            braced = re.match(r"\{([0-9A-Fa-f]{1,6})\}", pattern[self.position :])
            plain = re.match(r"[0-9A-Fa-f]{4}", pattern[self.position :])
            if braced:
                code = int(braced.group(1), 16)
                self.position += braced.end()
            elif plain:
                code = int(plain.group(0), 16)
                self.position += 4
            else:
                self.out.add("u")
                return
            self.out.add(*_code_point(code))
        elif char == "x":
            hexa = re.match(r"[0-9A-Fa-f]{2}", pattern[self.position :])
            if hexa:
                self.position += 2
                self.out.add(*_code_point(int(hexa.group(0), 16)))
            else:
                self.out.add("x")
        elif char == "c" and self.position < len(pattern) and pattern[self.position].isalpha():
            self.out.add(*_code_point(ord(pattern[self.position]) % 32))
            self.position += 1
        elif char.isalnum():
            raise self.fail(f"unknown escape `\\{char}`")
        elif char in _META or (in_class and char in "]^"):
            self.out.add("\\" + char)
        else:
            self.out.add(char)  # an identity escape of plain punctuation (`\/`, `\'`, `\@`)


def _code_point(code: int) -> tuple[str, str]:
    """A code point as (Rust, Python) text: printable ASCII as itself (escaped when punctuation)."""
    if 0x20 < code < 0x7F:
        char = chr(code)
        return (char, char) if char.isalnum() else ("\\" + char, "\\" + char)
    python = f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return f"\\x{{{code:x}}}", python


def translate(pattern: str) -> TranslatedPattern:
    """`pattern` (ECMA-262) for the engine that can run it; raises PatternError."""
    translated = _Translator(pattern).run()
    try:
        if translated.engine == "python-re":
            re.compile(translated.text)
    except re.error as error:
        raise PatternError(f"pattern {pattern!r}: {error}") from None
    return translated
