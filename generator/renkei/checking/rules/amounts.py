"""Amounts are strings of digits (`JpyAmount`) or decimal strings (`DecimalAmount`), never JSON numbers."""

from __future__ import annotations

from collections.abc import Iterator

from renkei.checking.document import Document, Pointer, schema_identity
from renkei.checking.findings import Severity
from renkei.checking.registry import rule
from renkei.loading.text import Text

Findings = Iterator[tuple[Pointer, Text]]

AMOUNT_FORMATS = frozenset({"jpy-amount", "positive-jpy-amount", "non-negative-jpy-amount", "decimal"})
AMOUNT_NAME_SUFFIXES = ("amount", "balance", "fee", "limit", "available")
# Loyalty points are counts, not money: `pointBalance` is an integer number of points.
NOT_MONEY_PREFIXES = ("point",)


def is_amount_name(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith(AMOUNT_NAME_SUFFIXES) and not lowered.startswith(NOT_MONEY_PREFIXES)


@rule(
    "amount-type",
    Severity.ERROR,
    "no `type: number`; amount-named properties use a `jpy-amount` or `decimal` string schema",
    ja="`type: number` を使わず、金額らしい名前の項目は `jpy-amount` か `decimal` の文字列スキーマを使う",
)
def amount_type(document: Document) -> Findings:
    for schema, pointer in document.schemas():
        kind = schema.get("type")
        if kind == "number" or (isinstance(kind, list) and "number" in kind):
            yield (
                (*pointer, "type"),
                Text(
                    "`type: number` is not allowed: use JpyAmount (format jpy-amount)"
                    " or DecimalAmount (format decimal)",
                    "`type: number` は使えません。JpyAmount (format jpy-amount) か"
                    " DecimalAmount (format decimal) を使います",
                ),
            )
    for prop in document.properties():
        if not is_amount_name(prop.name):
            continue
        _, formats = schema_identity(document, prop.schema)
        if not formats & AMOUNT_FORMATS:
            yield (
                prop.pointer,
                Text(
                    f"property {prop.name!r} looks like an amount: reference JpyAmount (format jpy-amount)"
                    " or DecimalAmount (format decimal)",
                    f"項目 {prop.name!r} は金額のようです。JpyAmount (format jpy-amount) か"
                    " DecimalAmount (format decimal) を参照してください",
                ),
            )
