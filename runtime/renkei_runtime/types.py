"""Domain types of the standard's custom formats, defined once and imported by generated models.

Each is an `Annotated` type: Python code sees the plain type (`int`, `Decimal`, `str`, `datetime`), the wire
sees the standard's representation (amounts as digit strings, timestamps with `+09:00`).
"""

from __future__ import annotations

import base64
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainSerializer,
    PlainValidator,
    SerializationInfo,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)

__all__ = [
    "FORMAT_TYPES",
    "JST",
    "MAX_TRANSFER_AMOUNT",
    "UPLOAD_FORMAT",
    "AccountNumber",
    "BankCode",
    "BranchCode",
    "DecimalAmount",
    "DepositType",
    "IsoDate",
    "JpyAmount",
    "JstDateTime",
    "NonNegativeJpyAmount",
    "PositiveJpyAmount",
    "Upload",
    "UploadedFile",
    "ZenginKana",
    "ZenginKana30",
    "ZenginKana40",
    "ZenginKana48",
    "normalize_zengin_kana",
]

JST = timezone(timedelta(hours=9), "JST")

_JPY_PATTERN = re.compile(r"-?(0|[1-9][0-9]{0,17})")
_DECIMAL_PATTERN = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,6})?")


def _parse_jpy(value: Any, info: ValidationInfo) -> int:
    if isinstance(value, str):
        if not _JPY_PATTERN.fullmatch(value):
            raise ValueError("a JPY amount is a string of digits with an optional leading '-'")
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and info.mode == "python":
        if abs(value) >= 10**18:
            raise ValueError("a JPY amount has at most 18 digits")
        return value
    raise ValueError('a JPY amount is a string of digits, e.g. "1200"')


JpyAmount = Annotated[
    int,
    BeforeValidator(_parse_jpy),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "jpy-amount", "pattern": "^-?(0|[1-9][0-9]{0,17})$"}),
]
"""Yen: an `int` in Python, a string of digits on the wire (JS-safe)."""

MAX_TRANSFER_AMOUNT = 9_999_999_999
"""The largest amount of one transfer: Zengin 振込金額 is N(10)."""
_POSITIVE_JPY_PATTERN = "^[1-9][0-9]{0,9}$"
_NON_NEGATIVE_JPY_PATTERN = "^(0|[1-9][0-9]{0,17})$"


def _bounded_jpy(low: int, high: int, what: str) -> Any:
    def check(value: int) -> int:
        if not low <= value <= high:
            raise ValueError(f"{what} must be between {low:,} and {high:,} yen")
        return value

    return check


PositiveJpyAmount = Annotated[
    int,
    BeforeValidator(_parse_jpy),
    AfterValidator(_bounded_jpy(1, MAX_TRANSFER_AMOUNT, "a transfer amount")),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "positive-jpy-amount", "pattern": _POSITIVE_JPY_PATTERN}),
]
"""A transfer amount: 1 … 9,999,999,999 yen (振込金額 N(10), at least 1 yen), a digit string on the wire."""

NonNegativeJpyAmount = Annotated[
    int,
    BeforeValidator(_parse_jpy),
    AfterValidator(_bounded_jpy(0, 10**18 - 1, "this amount")),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "format": "non-negative-jpy-amount", "pattern": _NON_NEGATIVE_JPY_PATTERN}
    ),
]
"""Fees, limits and available amounts: 0 or more yen (never negative), a digit string on the wire."""


def _parse_decimal(value: Any, info: ValidationInfo) -> Decimal:
    if isinstance(value, str):
        if not _DECIMAL_PATTERN.fullmatch(value):
            raise ValueError('a decimal amount is a string like "-12.345" (15 digits, 6 decimals at most)')
        return Decimal(value)
    if info.mode == "python" and isinstance(value, Decimal | int) and not isinstance(value, bool):
        try:
            text = format(Decimal(value), "f")
        except InvalidOperation as exc:  # NaN, infinity
            raise ValueError("a decimal amount must be finite") from exc
        if not _DECIMAL_PATTERN.fullmatch(text):
            raise ValueError("a decimal amount has at most 15 digits and 6 decimals")
        return Decimal(text)
    raise ValueError('a decimal amount is a string like "12.5"')


def _format_decimal(value: Decimal) -> str:
    return format(value, "f")


DecimalAmount = Annotated[
    Decimal,
    BeforeValidator(_parse_decimal),
    PlainSerializer(_format_decimal, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "decimal", "pattern": r"^-?[0-9]{1,15}(\.[0-9]{1,6})?$"}),
]
"""Foreign-currency amounts and rates: `Decimal` in Python, a decimal string on the wire."""

BankCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
"""統一金融機関コード: 4 digits."""
BranchCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
"""支店コード: 3 digits."""
AccountNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{7}$")]
"""口座番号: 7 digits."""
DepositType = Literal["1", "2", "4", "9"]
"""預金種目: 1 普通, 2 当座, 4 貯蓄, 9 その他."""


# --- Zengin kana -------------------------------------------------------------------------------------------

_HALF_KANA = "".join(chr(c) for c in range(0xFF71, 0xFF9E))  # ｱ .. ﾝ (without ｦ and the small kana)
_ZENGIN_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ ()-./,\\｢｣" + _HALF_KANA + "ﾞﾟ")
_SMALL_TO_LARGE = str.maketrans("ｧｨｩｪｫｬｭｮｯｦ", "ｱｲｳｴｵﾔﾕﾖﾂｵ")


def _full_to_half_table() -> dict[str, str]:
    """Full-width katakana (after NFKC) -> half-width Zengin kana, voiced marks as separate characters."""
    table: dict[str, str] = {}
    for half in _HALF_KANA + "ｧｨｩｪｫｬｭｮｯｦ":
        table[unicodedata.normalize("NFKC", half)] = half.translate(_SMALL_TO_LARGE)
        for mark in "ﾞﾟ":
            composed = unicodedata.normalize("NFKC", half + mark)
            if len(composed) == 1:
                table[composed] = half.translate(_SMALL_TO_LARGE) + mark
    table["ヵ"] = "ｶ"
    table["ヶ"] = "ｹ"
    table["ー"] = "-"
    table["\u309b"] = "ﾞ"  # ゛
    table["\u309c"] = "ﾟ"  # ゜
    table["\u3099"] = "ﾞ"  # combining voiced mark left by NFKC
    table["\u309a"] = "ﾟ"
    table["\u30fb"] = "."  # ・
    table["「"] = "｢"  # NFKC widens the half-width corner brackets; Zengin keeps them half-width
    table["」"] = "｣"
    return table


_FULL_TO_HALF = _full_to_half_table()


def normalize_zengin_kana(text: str) -> str:
    """Full-width, hiragana, lower-case and small-kana input -> the Zengin half-width set.

    NFKC first (full-width ASCII -> ASCII, half-width kana -> full-width), hiragana -> katakana, then every
    katakana back to half-width with separate voiced marks; small kana are capitalised as Zengin requires.
    """
    composed = unicodedata.normalize("NFKC", text).upper()
    out: list[str] = []
    for char in composed:
        code = ord(char)
        if 0x3041 <= code <= 0x3096:  # hiragana -> katakana
            char = chr(code + 0x60)
        out.append(_FULL_TO_HALF.get(char, char))
    return "".join(out).translate(_SMALL_TO_LARGE)


def _zengin_kana(max_length: int | None) -> Any:
    def validate(value: str) -> str:
        normalized = normalize_zengin_kana(value)
        bad = sorted({c for c in normalized if c not in _ZENGIN_CHARS})
        if bad:
            raise ValueError(f"characters outside the Zengin kana set: {''.join(bad)!r}")
        if max_length is not None and len(normalized) > max_length:
            raise ValueError(f"at most {max_length} Zengin kana characters (got {len(normalized)})")
        return normalized

    schema: dict[str, Any] = {"type": "string", "format": "zengin-kana"}
    if max_length is not None:
        schema["maxLength"] = max_length
    return Annotated[str, AfterValidator(validate), WithJsonSchema(schema)]


ZenginKana = _zengin_kana(None)
"""A name in the Zengin half-width set (カナ, A-Z, 0-9, space, `()-./,\\｢｣`); full-width input normalised."""
ZenginKana30 = _zengin_kana(30)
ZenginKana40 = _zengin_kana(40)
ZenginKana48 = _zengin_kana(48)


# --- JST timestamps ----------------------------------------------------------------------------------------


def _to_jst(value: datetime) -> datetime:
    """JST, whole seconds (the standard's `YYYY-MM-DDThh:mm:ss+09:00` has no fraction), so that pydantic's
    own serialiser writes the wire form: no Python call per field when a response is serialised."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a timestamp needs a UTC offset, e.g. 2026-04-01T09:00:00+09:00")
    return value.astimezone(JST).replace(microsecond=0)


JstDateTime = Annotated[
    datetime,
    AfterValidator(_to_jst),
    WithJsonSchema({"type": "string", "format": "jst-date-time"}),
]
"""An aware `datetime` converted to JST; serialised as `YYYY-MM-DDThh:mm:ss+09:00`."""


# --- Dates --------------------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_only(value: Any) -> Any:
    """Only `YYYY-MM-DD` (or a `date`): pydantic alone would read `0` or `"0"` as 1970-01-01."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("a date must be written YYYY-MM-DD")


IsoDate = Annotated[
    date, BeforeValidator(_iso_date_only), WithJsonSchema({"type": "string", "format": "date"})
]
"""An OpenAPI `format: date`: a `date` in Python, exactly `YYYY-MM-DD` on the wire."""


class UploadedFile:
    """A file part of a multipart body: its bytes, and the file name and media type its sender gave.

    A plain class rather than a dataclass, so that pydantic hands it over as it is (a dataclass would be
    dumped into a dict)."""

    __slots__ = ("content", "content_type", "filename")

    def __init__(self, content: bytes, filename: str | None = None, content_type: str | None = None) -> None:
        self.content = content
        self.filename = filename
        self.content_type = content_type

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UploadedFile):
            return NotImplemented
        return (self.content, self.filename, self.content_type) == (
            other.content,
            other.filename,
            other.content_type,
        )

    def __hash__(self) -> int:
        return hash((self.content, self.filename, self.content_type))

    def __repr__(self) -> str:
        return (
            f"UploadedFile({len(self.content)} bytes, filename={self.filename!r}, type={self.content_type!r})"
        )


def _uploaded_file(value: Any) -> UploadedFile:
    if isinstance(value, UploadedFile):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return UploadedFile(bytes(value))
    if isinstance(value, tuple) and 2 <= len(value) <= 3 and isinstance(value[1], bytes | bytearray):
        filename, content, *content_type = value
        if (filename is None or isinstance(filename, str)) and all(
            isinstance(t, str | None) for t in content_type
        ):
            return UploadedFile(bytes(content), filename, content_type[0] if content_type else None)
    raise ValueError("expected a file: bytes, (filename, bytes[, content type]) or an UploadedFile")


def _upload_out(value: UploadedFile, info: SerializationInfo) -> Any:
    """Itself in Python (the client sends it as a file part); its content in base64 in JSON."""
    return value if info.mode == "python" else base64.b64encode(value.content).decode("ascii")


Upload = Annotated[
    UploadedFile,
    PlainValidator(_uploaded_file),
    PlainSerializer(_upload_out),
    WithJsonSchema({"type": "string", "format": "binary"}),
]
"""A `format: binary` property of a multipart request body (`UploadedFile` in Python, a file part on the
wire); bytes and `(filename, bytes[, content type])` tuples are accepted too."""

UPLOAD_FORMAT = "x-renkei-upload"
"""The format the generator gives `format: binary` properties of multipart bodies (mapped to `Upload`)."""


FORMAT_TYPES: dict[str, str] = {
    "date": "IsoDate",
    "jpy-amount": "JpyAmount",
    "positive-jpy-amount": "PositiveJpyAmount",
    "non-negative-jpy-amount": "NonNegativeJpyAmount",
    "decimal": "DecimalAmount",
    "bank-code": "BankCode",
    "branch-code": "BranchCode",
    "account-number": "AccountNumber",
    "deposit-type": "DepositType",
    "zengin-kana": "ZenginKana",
    "jst-date-time": "JstDateTime",
    UPLOAD_FORMAT: "Upload",
}
"""OpenAPI `format` -> the name of its type in this module (the generator reads it)."""

ZENGIN_KANA_LENGTHS = (30, 40, 48)
"""`maxLength`s with a named type (`ZenginKana30` ...); any other `ZenginKana<N>` is made on first import."""

_ZENGIN_KANA_N = re.compile(r"ZenginKana([1-9][0-9]{0,3})")


def __getattr__(name: str) -> Any:
    """`ZenginKana<N>` for any maxLength N (PEP 562): `from renkei_runtime.types import ZenginKana12`."""
    match = _ZENGIN_KANA_N.fullmatch(name)
    if match is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    kana = _zengin_kana(int(match[1]))
    globals()[name] = kana
    return kana
