"""Safe Python names from whatever a spec uses: camelCase, `account-id`, Japanese, keywords, dots."""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata

__all__ = ["class_name", "package_name", "snake_case", "unique"]

_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"self", "ctx", "cls", "body"}
_CAMEL_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")
MAX_CLASS_NAME = 60


def _ascii_words(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _NON_WORD.sub(" ", text.encode("ascii", "ignore").decode())


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def snake_case(text: str, *, fallback: str = "value") -> str:
    """`listAccounts` -> `list_accounts`, `account-id` -> `account_id`, `class` -> `class_`,
    `口座` -> `value_<hash>`."""
    words = _ascii_words(_CAMEL_2.sub(r"\1 \2", _CAMEL_1.sub(r"\1 \2", text))).lower().split()
    name = "_".join(words)
    if not name:
        name = f"{fallback}_{_digest(text)}"
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if name in _RESERVED:
        name += "_"
    return name


def class_name(text: str, *, fallback: str = "Model") -> str:
    """`foo.bar-baz` -> `FooBarBaz`; names longer than MAX_CLASS_NAME are cut and given a stable hash."""
    spaced = _CAMEL_2.sub(r"\1 \2", text)
    words = _ascii_words(spaced).split()
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if not name:
        name = f"{fallback}{_digest(text)}"
    elif name != text and not text.isascii():
        name = f"{name}{_digest(text)}"
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if len(name) > MAX_CLASS_NAME:
        name = name[: MAX_CLASS_NAME - 9] + "_" + _digest(text)
    if keyword.iskeyword(name):
        name += "_"
    return name


def package_name(stem: str) -> str:
    """`bank-inquiry` -> `bank_inquiry`."""
    name = re.sub(r"[^0-9a-zA-Z_]+", "_", stem).strip("_").lower() or "api"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = "_" + name
    return name


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`... whichever is not in `taken`; adds the result to `taken`."""
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name.rstrip('_')}_{n}"
        n += 1
    taken.add(candidate)
    return candidate
