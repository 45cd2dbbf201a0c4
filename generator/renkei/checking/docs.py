"""The rules' catalogue as text (`renkei check --list-rules [--lang ja]`) and as the Markdown table of
docs/rules.md (a test keeps the two equal)."""

from __future__ import annotations

import sys

from renkei.checking.catalogue import catalogue
from renkei.loading.text import Language

__all__ = ["catalogue_markdown", "print_catalogue"]


def catalogue_markdown() -> str:
    lines = [
        "| id | group | default | what it checks | 検査内容 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for entry in catalogue():
        en = entry.description.en.replace("|", "\\|")
        ja = entry.description.ja.replace("|", "\\|")
        lines.append(f"| `{entry.id}` | {entry.group} | {entry.severity.value} | {en} | {ja} |")
    return "\n".join(lines) + "\n"


def print_catalogue(language: Language) -> None:
    for entry in catalogue():
        sys.stdout.write(
            f"{entry.id} [{entry.group}, {entry.severity.value}] {entry.description.get(language)}\n"
        )
