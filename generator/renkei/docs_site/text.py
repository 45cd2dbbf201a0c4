"""Descriptions as HTML: CommonMark (tables too, raw HTML escaped), Japanese lines joined without a space."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup

# A line break between two wide characters is a wrap in the YAML block, not a space in the sentence.
_WIDE = r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_WRAPPED = re.compile(rf"(?<=[{_WIDE}])\n[ \t]*(?=[{_WIDE}])")
_SENTENCE_END = re.compile(r"(?<=。)|(?<=\.)\s")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def join_wrapped_lines(text: str) -> str:
    """`text` with the line breaks that only wrap Japanese prose removed."""
    return _WRAPPED.sub("", text)


@cache  # the same descriptions recur on many pages (shared fields, error responses)
def markdown_html(text: str) -> Markup:
    """`text` (Markdown) as safe HTML; raw HTML in the text is shown, not interpreted."""
    if not text.strip():
        return Markup("")
    return Markup(_markdown.render(join_wrapped_lines(text)))


def first_sentence(text: str, limit: int = 120) -> str:
    """The first line of `text`, up to its first sentence end, as plain text (for tables and the index)."""
    line = next((part.strip() for part in join_wrapped_lines(text).splitlines() if part.strip()), "")
    line = line.lstrip("#").strip()
    sentence = _SENTENCE_END.split(line, maxsplit=1)[0].strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
