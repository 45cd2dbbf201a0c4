"""A message in the two languages renkei reports in: English (the default) and Japanese (`--lang ja`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["LANGUAGES", "Language", "Text"]

Language = Literal["en", "ja"]
LANGUAGES: tuple[Language, ...] = ("en", "ja")


@dataclass(frozen=True)
class Text:
    """One message, written in both languages (each one line)."""

    en: str
    ja: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "en", " ".join(self.en.split()))
        object.__setattr__(self, "ja", " ".join(self.ja.split()))

    def __str__(self) -> str:
        return self.en

    def get(self, language: Language) -> str:
        return self.ja if language == "ja" else self.en

    def __add__(self, other: Text) -> Text:
        """Two messages joined by a space in each language (a message and its hint)."""
        return Text(f"{self.en} {other.en}", f"{self.ja} {other.ja}")

    @classmethod
    def of(cls, value: str | Text) -> Text:
        """`value`, or an English-only string used for both languages."""
        return value if isinstance(value, Text) else cls(value, value)
