"""PositiveJpyAmount (a transfer amount) and NonNegativeJpyAmount (fees, limits, available amounts)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from renkei_runtime.types import FORMAT_TYPES, MAX_TRANSFER_AMOUNT, NonNegativeJpyAmount, PositiveJpyAmount


class Quote(BaseModel):
    amount: PositiveJpyAmount
    fee: NonNegativeJpyAmount


def test_bounds_on_the_wire() -> None:
    quote = Quote.model_validate_json('{"amount": "9999999999", "fee": "0"}')
    assert (quote.amount, quote.fee) == (MAX_TRANSFER_AMOUNT, 0)
    assert quote.model_dump_json() == '{"amount":"9999999999","fee":"0"}'
    assert Quote.model_validate_json('{"amount": "1", "fee": "220"}').amount == 1


@pytest.mark.parametrize(
    ("amount", "fee"),
    [("0", "0"), ("-1", "0"), ("10000000000", "0"), ("01", "0"), ("1", "-1"), (1, "0"), ("1.0", "0")],
)
def test_out_of_range_or_malformed_is_refused(amount: object, fee: str) -> None:
    with pytest.raises(ValidationError):
        Quote.model_validate_json(f'{{"amount": {amount!r}, "fee": "{fee}"}}'.replace("'", '"'))


def test_python_ints_are_checked_too() -> None:
    with pytest.raises(ValidationError, match="between 1 and 9,999,999,999"):
        Quote(amount=0, fee=0)
    with pytest.raises(ValidationError):
        Quote(amount=1, fee=-5)
    assert Quote(amount=5, fee=0).amount == 5


def test_formats_are_registered_for_the_generator() -> None:
    assert FORMAT_TYPES["positive-jpy-amount"] == "PositiveJpyAmount"
    assert FORMAT_TYPES["non-negative-jpy-amount"] == "NonNegativeJpyAmount"
    schema = Quote.model_json_schema()["properties"]
    assert schema["amount"]["pattern"] == "^[1-9][0-9]{0,9}$"
    assert schema["fee"]["format"] == "non-negative-jpy-amount"
