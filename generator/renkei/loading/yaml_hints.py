"""Hints for YAML syntax errors, for the mistakes Japanese spec authors make most often.

PyYAML says where the parser gave up, which is often a line after the mistake. The commonest causes in
Japanese specs: an unquoted `: ` inside a value (`summary: 残高照会: 現在残高`), full-width characters
typed by the input method where YAML needs half-width ones (the colon `：`, the space U+3000), tabs, and
indentation that does not line up with the mapping it belongs to.
"""

from __future__ import annotations

from renkei.loading.text import Text

__all__ = ["hint_for", "problem_text"]

FULL_WIDTH_COLON = "\uff1a"  # ：
FULL_WIDTH_SPACE = "\u3000"
_LOOK_BACK = 3  # lines above the problem line where the cause may be

# PyYAML's problems, in Japanese.
_PROBLEMS = {
    "mapping values are not allowed here": "ここではマッピングの値 (`: `) を書けません",
    "mapping values are not allowed in this context": "ここではマッピングの値 (`: `) を書けません",
    "did not find expected key": "キーがあるべき位置にキーがありません",
    "could not find expected ':'": "`:` がありません",
    "found character that cannot start any token": "トークンを始められない文字があります",
    "found a tab character that violates indentation": "インデントにタブ文字があります",
    "while parsing a block mapping": "ブロックマッピングの解析中",
    "while parsing a block collection": "ブロックシーケンスの解析中",
    "while scanning a simple key": "キーの読み取り中",
    "while scanning a quoted scalar": "引用符で囲んだ文字列の読み取り中",
    "found unexpected end of stream": "引用符が閉じられないままファイルが終わりました",
    "while parsing a flow mapping": "フローマッピング ({...}) の解析中",
    "while parsing a flow sequence": "フローシーケンス ([...]) の解析中",
    "expected ',' or ']', but got": "`,` か `]` があるべき位置に別のものがあります:",
    "expected ',' or '}', but got": "`,` か `}` があるべき位置に別のものがあります:",
}
_INDENTATION_PROBLEMS = (
    "did not find expected key",
    "expected <block end>",
    "could not find expected ':'",
    "bad indentation",
    "did not find expected '-' indicator",
)


def problem_text(english: str) -> str:
    """PyYAML's wording in Japanese where it is known (the English text otherwise)."""
    for known, japanese in _PROBLEMS.items():
        if english.startswith(known):
            return japanese + english[len(known) :]
    return english


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def hint_for(lines: list[str], problem: str, line: int, column: int, context_line: int | None) -> Text | None:
    """A hint for the problem PyYAML reported at 0-based `line`/`column` (None when nothing fits)."""
    if not 0 <= line < len(lines):
        return None
    first = max(0, line - _LOOK_BACK, context_line if context_line is not None else 0)
    nearby = range(first, line + 1)
    for number in nearby:
        text = lines[number]
        if FULL_WIDTH_SPACE in text[: _indent(text) + 1] or (FULL_WIDTH_SPACE in text and number == line):
            return Text(
                f"hint: line {number + 1} contains a full-width space (U+3000, 全角スペース);"
                " YAML indents with half-width spaces only",
                f"ヒント: {number + 1} 行目に全角スペースがあります。インデントは半角スペースだけで行います",
            )
        if FULL_WIDTH_COLON in text.split(": ", 1)[0]:
            return Text(
                f"hint: line {number + 1} has a full-width colon `：` after a key;"
                " YAML needs a half-width `:` and a space (`key: value`)",
                f"ヒント: {number + 1} 行目のキーの後に全角コロン「：」があります。半角の `:` と空白"
                "にしてください (`キー: 値`)",
            )
    current = lines[line]
    if "\t" in current[: len(current) - len(current.lstrip(" \t"))]:
        return Text(
            f"hint: line {line + 1} is indented with a tab; YAML indents with spaces only",
            f"ヒント: {line + 1} 行目がタブで字下げされています。インデントは半角スペースだけで行います",
        )
    if problem.startswith("mapping values are not allowed"):
        key, separator, value = current.lstrip(" -").partition(": ")
        if separator and current.find(": ") < column - 1 and value.strip():
            example = f"{key.strip()}: {_quoted(value.strip())}"
            return Text(
                f"hint: the value on line {line + 1} contains `: `; quote the whole value: {example}",
                f"ヒント: {line + 1} 行目の値に `: ` が含まれています。値全体を引用符で囲んでください:"
                f" {example}",
            )
        return _indentation(lines, line)
    if problem.startswith(_INDENTATION_PROBLEMS):
        return _indentation(lines, line)
    return None


def _indentation(lines: list[str], line: int) -> Text:
    previous = next((n for n in range(line - 1, -1, -1) if lines[n].strip()), None)
    here = _indent(lines[line])
    where = ""
    where_ja = ""
    if previous is not None:
        there = _indent(lines[previous])
        where = f" (line {previous + 1} is indented by {there} spaces, line {line + 1} by {here})"
        where_ja = f" ({previous + 1} 行目は {there} 桁、{line + 1} 行目は {here} 桁の字下げです)"
    return Text(
        f"hint: check the indentation around line {line + 1}{where}: keys of one mapping start in the same"
        " column, and what is nested under a key is indented further than the key",
        f"ヒント: {line + 1} 行目付近のインデントを確認してください{where_ja}。同じマッピングのキーは同じ桁"
        "から始め、キーの下に入れ子にする項目はそのキーより深く字下げします",
    )
