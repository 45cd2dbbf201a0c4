"""The first structural error of an OpenAPI document, by openapi-spec-validator (plain data in and out).

Both parts of openapi-spec-validator run on every document: the OpenAPI meta-schema (fast, jsonschema-rs)
and the semantic keyword checks (declared path parameters, unique operationIds, defaults matching their
schemas, ...); the per-schema meta-schema check runs in jsonschema-rs first (`renkei.generation.fast_meta`).
This module imports nothing else of renkei's but those two small ones, so that the validation child
(`renkei.generation.background`) starts quickly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["StructureProblem", "find_structure_problem", "readable_message", "shorten"]


@dataclass(frozen=True)
class StructureProblem:
    """The first structural error of a document: where (JSON pointer tokens, maybe empty) and what."""

    rule: str
    message: str
    pointer: tuple[str, ...] = ()


def find_structure_problem(document: dict[str, Any]) -> StructureProblem | None:
    """The first structural error of `document`, or None; guideline rules are not applied here."""
    version = str(document.get("openapi", ""))
    if not version.startswith(("3.0", "3.1")):
        return StructureProblem(
            "openapi-version", f"only OpenAPI 3.0 and 3.1 are supported (got {version!r})", ("openapi",)
        )
    from renkei.generation.fast_meta import fast_spec_validator
    from renkei.generation.spec_validators import spec_validators

    spec_validators()  # imported without `requests`
    validator_class = fast_spec_validator(version.startswith("3.1"))
    try:
        error = next(iter(validator_class.schema_validator.iter_errors(document)), None)
        if error is None:
            error = next(iter(validator_class(document).iter_errors()), None)
    except RecursionError:
        return StructureProblem("openapi-structure", "the document is nested too deeply to validate")
    if error is None:
        return None
    pointer = _in_document(document, error, tuple(str(p) for p in error.absolute_path))
    return StructureProblem("openapi-structure", readable_message(error), pointer + _repeated(error))


def _repeated(error: Any) -> tuple[str, ...]:
    """For a list with non-unique items: the index of the first repetition (the line to fix)."""
    instance = getattr(error, "instance", None)
    if getattr(error, "validator", None) != "uniqueItems" or not isinstance(instance, list):
        return ()
    for index, item in enumerate(instance):
        if item in instance[:index]:
            return (str(index),)
    return ()


def _in_document(document: Any, error: Any, pointer: tuple[str, ...]) -> tuple[str, ...]:
    """The pointer from the document's root to the offending value. The semantic checks validate each schema
    on its own, so their errors' paths start at that schema (`enum`, not `components/schemas/X/enum`): the
    value itself (the very object, not a copy) is then looked up in the document."""
    instance = getattr(error, "instance", None)
    if not isinstance(instance, dict | list) or _resolves(document, pointer, instance):
        return pointer
    found = _path_of(document, instance, ())
    return found if found is not None and found[len(found) - len(pointer) :] == pointer else pointer


def _resolves(document: Any, pointer: tuple[str, ...], instance: Any) -> bool:
    node = document
    for token in pointer:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return node is instance


def _path_of(node: Any, target: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
    if node is target:
        return path
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, dict | list) and (found := _path_of(value, target, (*path, str(key)))):
            return found
    return None


_MESSAGE_LIMIT = 300
_VALUE_LIMIT = 80


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary (never inside a word), with `…`."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = max(head.rfind(c) for c in " ,;:)]}")
    if cut < limit // 2:  # one long token (a URL, a JSON dump without spaces): cut after a non-letter
        cut = max((i for i, c in enumerate(head) if not c.isalnum()), default=limit - 1)
    return head[:cut].rstrip(" ,;:") + "…"


def readable_message(error: Any) -> str:
    """The validator's meaning first, the offending value (shortened) after it: jsonschema writes
    `<the whole value> is not valid under ...`, which buries the point behind a dump of the object."""
    text = str(error.message).strip().splitlines()[0] if error.message else "invalid document"
    instance = getattr(error, "instance", None)
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


_VERB = re.compile(r"[}\]] (is|does|has|should|must) ")
