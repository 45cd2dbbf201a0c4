"""jsonschema's validation errors as located messages in English and Japanese.

One wording for every schema error renkei reports: the OpenAPI structure (`openapi-schema`) and example
values against their schemas (`example-schema`). An error deep inside `anyOf`/`oneOf` is reported by its
most relevant cause (jsonschema's `best_match`); an unexpected key is reported at the key itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from renkei.loading.text import Text
from renkei.loading.walk import Pointer

__all__ = ["describe", "error_pointer", "readable", "shorten"]

_FULL_WIDTH = ("\u3000", "\uff1a")
_BOUNDS = {"minimum": "以上", "maximum": "以下", "exclusiveMinimum": "より大", "exclusiveMaximum": "未満"}


_MESSAGE_LIMIT = 300
_VALUE_LIMIT = 80
_VERB = re.compile(r"[}\]] (is|does|has|should|must) ")


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary (never inside a word), with `…`."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = max(head.rfind(c) for c in " ,;:)]}")
    if cut < limit // 2:  # one long token (a URL, a JSON dump without spaces): cut after a non-letter
        cut = max((i for i, c in enumerate(head) if not c.isalnum()), default=limit - 1)
    return head[:cut].rstrip(" ,;:") + "…"


def _show(value: Any) -> str:
    """A short rendering of a value from the document (JSON, at most 60 characters, cut between words)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return shorten(text, 60)


def readable(error: ValidationError) -> str:
    """jsonschema's English message with the validator's meaning first and the offending value (shortened)
    after it: jsonschema writes `<the whole value> is not valid under ...`, which buries the point behind a
    dump of the object. At most 300 characters, never cut inside a word."""
    text = str(error.message).strip().splitlines()[0] if error.message else "invalid value"
    instance = error.instance
    spellings = [repr(instance)]
    for options in ({"separators": (",", ":")}, {"separators": (",", ":"), "sort_keys": True}, {}):
        try:
            spellings.append(json.dumps(instance, ensure_ascii=False, **options))
        except (TypeError, ValueError):
            pass
    value = next((v for v in spellings if text.startswith(v + " ")), None)
    if value is None and text[:1] in "{[":  # another spelling of a long value: up to the verb
        verb = _VERB.search(text)
        value = text[: verb.start() + 1] if verb else None
    if value is not None and len(value) > _VALUE_LIMIT:
        text = f"{text[len(value) :].strip()}: {shorten(value, _VALUE_LIMIT)}"
    return shorten(text, _MESSAGE_LIMIT)


def _is_reference_branch(error: ValidationError) -> bool:
    """`'$ref' is a required property`: the Reference Object alternative of a `oneOf`, irrelevant when the
    node is not a reference."""
    value = error.validator_value
    return error.validator == "required" and isinstance(value, list) and value == ["$ref"]


def _leaves(error: ValidationError) -> list[ValidationError]:
    if not error.context:
        return [error]
    found: list[ValidationError] = []
    for inner in error.context:
        found += _leaves(inner)
    return found


def _cause(error: ValidationError) -> ValidationError:
    """The most specific reason: inside `oneOf`/`anyOf`, the deepest of the alternatives' errors (the
    Reference Object alternative left out when the node has no `$ref`); jsonschema's `best_match` among
    equals."""
    if not error.context:
        return error
    leaves = _leaves(error)
    if not (isinstance(error.instance, dict) and "$ref" in error.instance):
        leaves = [leaf for leaf in leaves if not _is_reference_branch(leaf)] or leaves
    deepest = max(len(leaf.absolute_path) for leaf in leaves)
    candidates = [leaf for leaf in leaves if len(leaf.absolute_path) == deepest]
    if len(candidates) > 1 and all(leaf.validator == "enum" for leaf in candidates):
        return _merged_enum(candidates)
    return best_match(candidates) or candidates[0]


def _merged_enum(errors: list[ValidationError]) -> ValidationError:
    """Several alternatives each allowing other values (`in: path` / `in: query` ...): one error naming
    every allowed value."""
    allowed: list[Any] = []
    for error in errors:
        for value in error.validator_value if isinstance(error.validator_value, list) else []:
            if value not in allowed:
                allowed.append(value)
    first = errors[0]
    return ValidationError(
        f"{first.instance!r} is not one of {allowed!r}",
        validator="enum",
        validator_value=allowed,
        instance=first.instance,
        schema=first.schema,
        path=first.absolute_path,
        schema_path=first.absolute_schema_path,
    )


def error_pointer(error: ValidationError) -> Pointer:
    return tuple(token if isinstance(token, int) else str(token) for token in error.absolute_path)


def _unexpected(error: ValidationError) -> list[str]:
    instance, schema = error.instance, error.schema
    if not isinstance(instance, dict) or not isinstance(schema, dict):
        return []
    if error.validator == "additionalProperties":
        declared = schema.get("properties") or {}
        patterns = list(schema.get("patternProperties") or {})
        return [
            key
            for key in instance
            if key not in declared and not any(re.search(pattern, key) for pattern in patterns)
        ]
    return re.findall(r"'([^']*)'", str(error.message).split("(", 1)[-1])


def _key_hint(key: str) -> Text | None:
    if any(char in key for char in _FULL_WIDTH):
        return Text(
            "(the key contains a full-width space or colon: YAML took them as part of the key)",
            "(キーに全角スペースか全角コロンが含まれています。YAML はそれもキーの一部として読みました)",
        )
    return None


def _one(error: ValidationError) -> Text:
    """The message of one (leaf) error."""
    keyword: Any = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    english = readable(error)
    shown = _show(instance)
    japanese: str
    if keyword == "type":
        types = " / ".join(value) if isinstance(value, list) else str(value)
        japanese = f"{shown} は {types} 型ではありません"
    elif keyword == "enum":
        japanese = f"{shown} は次のいずれかでなければなりません: {_show(value)}"
    elif keyword == "const":
        japanese = f"{shown} は {_show(value)} でなければなりません"
    elif keyword == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        japanese = f"必須の項目 {', '.join(map(repr, missing)) or _show(value)} がありません"
    elif keyword == "pattern":
        japanese = f"{shown} がパターン {value} に一致しません"
    elif keyword == "format":
        japanese = f"{shown} は形式 {value} に合いません"
        if error.cause is not None:
            english += f": {error.cause}"
            japanese += f": {error.cause}"
    elif keyword in ("minLength", "maxLength"):
        japanese = (
            f"{shown} は {value} 文字{'以上' if keyword == 'minLength' else '以下'}でなければなりません"
        )
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        japanese = f"{shown} は {value} {_BOUNDS[keyword]}でなければなりません"
    elif keyword in ("minItems", "maxItems"):
        japanese = f"配列の要素は {value} 個{'以上' if keyword == 'minItems' else '以下'}でなければなりません"
    elif keyword in ("minProperties", "maxProperties"):
        japanese = f"項目は {value} 個{'以上' if keyword == 'minProperties' else '以下'}でなければなりません"
    elif keyword == "uniqueItems":
        japanese = "配列の要素が重複しています"
    elif keyword == "multipleOf":
        japanese = f"{shown} は {value} の倍数でなければなりません"
    elif keyword == "oneOf":
        japanese = f"{shown} は oneOf のちょうど1つに適合しなければなりません"
    elif keyword == "anyOf":
        japanese = f"{shown} は anyOf のどれにも適合しません"
    elif keyword == "not":
        japanese = f"{shown} は not のスキーマに適合してはなりません"
    elif keyword == "dependentRequired":
        japanese = f"項目の依存関係 (dependentRequired) を満たしません: {english}"
    elif english.startswith("False schema"):
        japanese = "ここには値を書けません (false スキーマ)"
    else:
        japanese = f"スキーマに適合しません ({keyword}): {english}"
    return Text(english, japanese)


def describe(error: ValidationError) -> Iterator[tuple[Pointer, Text]]:
    """(pointer relative to the validated instance, message) for `error`: its most relevant cause, and
    one message per unexpected key (located at the key)."""
    cause = _cause(error)
    pointer = error_pointer(cause)
    if (
        cause.validator in ("additionalProperties", "unevaluatedProperties")
        and cause.validator_value is False
    ):
        keys = _unexpected(cause)
        if keys:
            for key in keys:
                if cause.validator == "additionalProperties":
                    message = Text(
                        f"{key!r} is not allowed here (additionalProperties: false; check the spelling)",
                        f"{key!r} はここには書けない項目です"
                        " (additionalProperties: false。綴りを確認してください)",
                    )
                else:
                    message = Text(
                        f"{key!r} is not a field here (check the spelling; extensions start with `x-`)",
                        f"{key!r} はここに書ける項目ではありません"
                        " (綴りを確認してください。拡張は `x-` で始めます)",
                    )
                hint = _key_hint(key)
                yield (*pointer, key), message + hint if hint is not None else message
            return
    yield (*pointer, *_repeated(cause)), _one(cause)


def _repeated(error: ValidationError) -> tuple[int, ...]:
    """For a list with non-unique items: the index of the first repetition (the line to fix)."""
    instance = error.instance
    if error.validator != "uniqueItems" or not isinstance(instance, list):
        return ()
    for index, item in enumerate(instance):
        if item in instance[:index]:
            return (index,)
    return ()
