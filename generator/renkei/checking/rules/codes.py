"""Code-like fields (bank/branch code, account number, deposit type, kana name) use the named schemas."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from renkei.checking.document import Document, Pointer, schema_identity
from renkei.checking.findings import Severity
from renkei.checking.registry import rule
from renkei.loading.text import Text

Findings = Iterator[tuple[Pointer, Text]]


@dataclass(frozen=True)
class CodeField:
    suffix: str  # the property is named `suffix` or ends with it capitalised (`beneficiaryBankCode`)
    schemas: frozenset[str]
    format: str

    def matches(self, name: str) -> bool:
        capitalised = self.suffix[0].upper() + self.suffix[1:]
        return name == self.suffix or (name.endswith(capitalised) and len(name) > len(capitalised))


CODE_FIELDS = (
    CodeField("bankCode", frozenset({"BankCode"}), "bank-code"),
    CodeField("branchCode", frozenset({"BranchCode"}), "branch-code"),
    CodeField("accountNumber", frozenset({"AccountNumber"}), "account-number"),
    CodeField("depositType", frozenset({"DepositType"}), "deposit-type"),
    CodeField("kana", frozenset({"ZenginKana30", "ZenginKana40", "ZenginKana48"}), "zengin-kana"),
)


@rule(
    "code-field-type",
    Severity.ERROR,
    "bank/branch codes, account numbers, deposit types and kana names (properties and parameters)"
    " use the named schemas or their formats",
    ja="金融機関コード・支店コード・口座番号・預金種目・カナ名 (項目とパラメータ) は"
    "名前付きスキーマかその形式を使う",
)
def code_field_type(document: Document) -> Findings:
    fields: list[tuple[str, Any, Pointer, str]] = [
        (prop.name, prop.schema, prop.pointer, "property") for prop in document.properties()
    ]
    fields += [
        (name, parameter.get("schema"), pointer, "parameter")
        for name, parameter, pointer in document.parameters()
        if "schema" in parameter
    ]
    for name, schema, pointer, kind in fields:
        field = next((field for field in CODE_FIELDS if field.matches(name)), None)
        if field is None:
            continue
        names, formats = schema_identity(document, schema)
        if names & field.schemas or field.format in formats:
            continue
        expected = " / ".join(sorted(field.schemas))
        kind_ja = "項目" if kind == "property" else "パラメータ"
        yield (
            pointer,
            Text(
                f"{kind} {name!r} must reference {expected} (format {field.format})",
                f"{kind_ja} {name!r} は {expected} (format {field.format}) を参照しなければなりません",
            ),
        )
