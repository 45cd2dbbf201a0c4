"""The error-code catalogue: `x-error-codes` on a schema (the standard's `ErrorResponse.errorCode`) lists
every `errorCode` a provider may return, with its HTTP status, Japanese name and meaning; the examples of
error responses use only catalogued codes, under the status the catalogue gives them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity
from renkei.checking.registry import rule
from renkei.loading.text import Text

Findings = Iterator[tuple[Pointer, Text]]

CATALOGUE_KEY = "x-error-codes"
_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


def catalogues(document: Document) -> Iterator[tuple[Any, Pointer]]:
    """Every `x-error-codes` value in the document's schemas, with its pointer."""
    for schema, pointer in document.schemas():
        if CATALOGUE_KEY in schema:
            yield schema[CATALOGUE_KEY], (*pointer, CATALOGUE_KEY)


_ENTRY = Text(
    f"{CATALOGUE_KEY} must be a list of {{code, status, x-jp-name, description}}",
    f"{CATALOGUE_KEY} は {{code, status, x-jp-name, description}} の並びで書きます",
)


def _entry_problem(entry: Any) -> Text | None:
    if not isinstance(entry, dict):
        return Text(
            "an entry must be a mapping {code, status, x-jp-name, description}",
            "各項目は {code, status, x-jp-name, description} のマッピングで書きます",
        )
    code = entry.get("code")
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        return Text(
            f"code {code!r} must be lower-case letters, digits and `_` (1–40, starting with a letter)",
            f"コード {code!r} は英小文字・数字・`_` で書きます (1〜40 文字、先頭は英字)",
        )
    status = entry.get("status")
    if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
        return Text(
            f"{code}: status must be an HTTP error status (400–599), not {status!r}",
            f"{code}: status は HTTP のエラーステータス (400〜599) で書きます ({status!r} ではなく)",
        )
    for key in ("x-jp-name", "description"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            return Text(
                f"{code}: {key} must be a non-empty string", f"{code}: {key} は空でない文字列で書きます"
            )
    return None


def _examples(media: dict[str, Any]) -> Iterator[tuple[Any, tuple[str, ...]]]:
    if "example" in media:
        yield media["example"], ("example",)
    examples = media.get("examples")
    if isinstance(examples, dict):
        for name, example in examples.items():
            if isinstance(example, dict) and "value" in example:
                yield example["value"], ("examples", str(name), "value")


@rule(
    "error-code-catalogue",
    Severity.ERROR,
    Text(
        "`x-error-codes` entries are well formed and unique; error-response examples use only catalogued"
        " codes under their catalogued status",
        "`x-error-codes` の各項目が正しい形で重複がなく、エラー応答の例はカタログにあるコードだけを"
        "カタログのステータスで使う",
    ),
)
def error_code_catalogue(document: Document) -> Findings:
    statuses: dict[str, int] = {}
    found = False
    for table, pointer in catalogues(document):
        found = True
        if not isinstance(table, list):
            yield pointer, _ENTRY
            continue
        for index, entry in enumerate(table):
            problem = _entry_problem(entry)
            if problem is not None:
                yield (*pointer, index), problem
                continue
            if entry["code"] in statuses:
                yield (
                    (*pointer, index, "code"),
                    Text(
                        f"error code {entry['code']!r} is catalogued twice",
                        f"エラーコード {entry['code']!r} がカタログに2回あります",
                    ),
                )
                continue
            statuses[entry["code"]] = entry["status"]
    if not found:
        return
    seen: set[Pointer] = set()
    for operation in document.operations():
        for response in document.responses(operation):
            if not response.code.isdigit() or response.pointer in seen:
                continue
            seen.add(response.pointer)
            status = int(response.code)
            for media, media_pointer in document.json_media(response.node, response.pointer):
                for example, where in _examples(media):
                    code = example.get("errorCode") if isinstance(example, dict) else None
                    if not isinstance(code, str):
                        continue
                    at = (*media_pointer, *where, "errorCode")
                    if code not in statuses:
                        yield (
                            at,
                            Text(
                                f"{response.label}: errorCode {code!r} is not in {CATALOGUE_KEY}",
                                f"{response.label}: errorCode {code!r} が {CATALOGUE_KEY} にありません",
                            ),
                        )
                    elif statuses[code] != status:
                        yield (
                            at,
                            Text(
                                f"{response.label}: errorCode {code!r} is catalogued with status"
                                f" {statuses[code]}, not {status}",
                                f"{response.label}: errorCode {code!r} のカタログ上のステータスは"
                                f" {statuses[code]} で、{status} ではありません",
                            ),
                        )
