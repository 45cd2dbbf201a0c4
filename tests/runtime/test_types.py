"""The domain types of the standard's custom formats: validation, wire form, normalisation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from renkei_runtime.types import (
    JST,
    AccountNumber,
    BankCode,
    BranchCode,
    DecimalAmount,
    DepositType,
    JpyAmount,
    JstDateTime,
    ZenginKana,
    ZenginKana30,
    normalize_zengin_kana,
)


class Payment(BaseModel):
    amount: JpyAmount
    rate: DecimalAmount | None = None
    bank: BankCode = "0005"
    branch: BranchCode = "001"
    account: AccountNumber = "1234567"
    deposit: DepositType = "1"
    name: ZenginKana30 = "ﾔﾏﾀﾞ ﾀﾛｳ"
    free_name: ZenginKana = "A"
    at: JstDateTime | None = None


def test_jpy_amount_is_int_in_python_and_digit_string_on_the_wire() -> None:
    payment = Payment.model_validate_json('{"amount": "-1200"}')
    assert payment.amount == -1200
    assert isinstance(payment.amount, int)
    assert '"amount":"-1200"' in payment.model_dump_json()
    assert Payment(amount=999_999_999_999).model_dump(mode="json")["amount"] == "999999999999"


@pytest.mark.parametrize(
    "wire", ['"01"', '"1.5"', '"+3"', '""', '"1e3"', "1200", '"1234567890123456789"', "true"]
)
def test_jpy_amount_rejects_other_wire_forms(wire: str) -> None:
    with pytest.raises(ValidationError):
        Payment.model_validate_json(f'{{"amount": {wire}}}')


def test_jpy_amount_rejects_bool_from_python() -> None:
    with pytest.raises(ValidationError):
        Payment(amount=True)


def test_decimal_amount_round_trips_as_string() -> None:
    payment = Payment.model_validate_json('{"amount": "0", "rate": "-12.345600"}')
    assert payment.rate == Decimal("-12.3456")
    assert '"rate":"-12.345600"' in payment.model_dump_json()
    assert Payment(amount=0, rate=Decimal("1.5")).model_dump(mode="json")["rate"] == "1.5"


@pytest.mark.parametrize("wire", ['"1.1234567"', '"abc"', "1.5", '"1234567890123456"', '"NaN"'])
def test_decimal_amount_rejects_bad_values(wire: str) -> None:
    with pytest.raises(ValidationError):
        Payment.model_validate_json(f'{{"amount": "0", "rate": {wire}}}')


def test_decimal_amount_rejects_non_finite_from_python() -> None:
    with pytest.raises(ValidationError):
        Payment(amount=0, rate=Decimal("Infinity"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bank", "005"),
        ("bank", "00055"),
        ("branch", "01"),
        ("account", "123456"),
        ("account", "12345678"),
        ("deposit", "3"),
        ("bank", "０００５"),
    ],
)
def test_codes_reject_wrong_lengths_and_values(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        Payment.model_validate({"amount": 1, field: value})


@pytest.mark.parametrize("deposit", ["1", "2", "4", "9"])
def test_deposit_types(deposit: str) -> None:
    assert Payment.model_validate({"amount": 1, "deposit": deposit}).deposit == deposit


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),  # full-width katakana and ideographic space
        ("やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ"),  # hiragana
        ("ガギグゲゴパピプペポヴ", "ｶﾞｷﾞｸﾞｹﾞｺﾞﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟｳﾞ"),
        ("ｷｯﾄ", "ｷﾂﾄ"),  # small kana capitalised
        ("キャッシュ", "ｷﾔﾂｼﾕ"),
        ("ＡＢＣ１２３", "ABC123"),
        ("abc", "ABC"),
        ("ｶ)ｱｵｿﾞﾗ", "ｶ)ｱｵｿﾞﾗ"),
        ("カ）テスト", "ｶ)ﾃｽﾄ"),
        ("ヲ", "ｵ"),
        ("ケーキ", "ｹ-ｷ"),
        ("ｶ)ﾚﾝｹｲ,ｼｮｳｼﾞ", "ｶ)ﾚﾝｹｲ,ｼﾖｳｼﾞ"),  # comma, as the spec's ZenginKana pattern admits
        ("ｱ｢ｲ｣\\", "ｱ｢ｲ｣\\"),
        ("ア「イ」", "ｱ｢ｲ｣"),  # full-width corner brackets narrowed
    ],
)
def test_zengin_kana_normalises_to_half_width(given: str, expected: str) -> None:
    assert normalize_zengin_kana(given) == expected
    assert Payment(amount=1, name=given).name == expected


@pytest.mark.parametrize("bad", ["山田太郎", "ﾔﾏﾀﾞ@", "ﾔﾏﾀﾞ*", "ｱ;ｲ", "ｱ_ｲ"])
def test_zengin_kana_rejects_characters_outside_the_set(bad: str) -> None:
    with pytest.raises(ValidationError, match="Zengin kana set"):
        Payment(amount=1, name=bad)


def test_zengin_kana_length_counts_after_normalisation() -> None:
    # 15 voiced full-width kana become 30 half-width characters (kana + ﾞ): exactly the limit.
    assert len(Payment(amount=1, name="ガ" * 15).name) == 30
    with pytest.raises(ValidationError, match="at most 30"):
        Payment(amount=1, name="ガ" * 16)
    assert Payment(amount=1, free_name="ｱ" * 200).free_name == "ｱ" * 200


def test_jst_date_time_converts_and_serialises_with_offset() -> None:
    payment = Payment.model_validate_json('{"amount": "1", "at": "2026-04-01T00:00:00Z"}')
    assert payment.at == datetime(2026, 4, 1, 9, 0, tzinfo=JST)
    assert payment.at is not None and payment.at.utcoffset() == timedelta(hours=9)
    assert '"at":"2026-04-01T09:00:00+09:00"' in payment.model_dump_json()
    other = Payment(amount=1, at=datetime(2026, 4, 1, 12, 30, tzinfo=timezone(timedelta(hours=-5))))
    assert other.model_dump(mode="json")["at"] == "2026-04-02T02:30:00+09:00"
    utc = Payment(amount=1, at=datetime(2026, 1, 1, tzinfo=UTC))
    assert utc.model_dump(mode="json")["at"] == "2026-01-01T09:00:00+09:00"


def test_jst_date_time_drops_fractions_on_the_wire() -> None:
    # The standard's timestamps are `YYYY-MM-DDThh:mm:ss+09:00`: no fractional seconds.
    precise = Payment(amount=1, at=datetime(2026, 1, 1, 0, 0, 0, 123456, tzinfo=UTC))
    assert precise.model_dump(mode="json")["at"] == "2026-01-01T09:00:00+09:00"


def test_jst_date_time_rejects_naive_timestamps() -> None:
    with pytest.raises(ValidationError, match="UTC offset"):
        Payment.model_validate_json('{"amount": "1", "at": "2026-04-01T09:00:00"}')


def test_json_schema_shows_the_wire_form() -> None:
    schema = Payment.model_json_schema()
    assert schema["properties"]["amount"]["type"] == "string"
    assert schema["properties"]["amount"]["format"] == "jpy-amount"


def test_zengin_kana_of_any_length_is_made_on_import() -> None:
    from renkei_runtime.types import ZenginKana12

    class Short(BaseModel):
        name: ZenginKana12

    assert Short(name="ヤマダ").name == "ﾔﾏﾀﾞ"
    with pytest.raises(ValidationError, match="at most 12"):
        Short(name="ｱ" * 13)
    with pytest.raises(ImportError):
        from renkei_runtime.types import ZenginKanaX  # noqa: F401


@pytest.mark.parametrize("wire", ['"2026-04-01"'])
def test_iso_date_reads_yyyy_mm_dd(wire: str) -> None:
    from datetime import date

    from pydantic import TypeAdapter

    from renkei_runtime.types import IsoDate

    assert TypeAdapter(IsoDate).validate_json(wire) == date(2026, 4, 1)
    assert TypeAdapter(IsoDate).validate_python("2026-04-01") == date(2026, 4, 1)


@pytest.mark.parametrize("value", [0, "0", "20260401", "2026-4-1", 1.5, "2026-04-01T00:00:00"])
def test_iso_date_refuses_what_pydantic_would_coerce(value: object) -> None:
    from pydantic import TypeAdapter

    from renkei_runtime.types import IsoDate

    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        TypeAdapter(IsoDate).validate_python(value)
