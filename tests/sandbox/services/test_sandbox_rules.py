"""Pure rules: the date window, bank business days, execution dates, fees, cursors and PKCE."""

from __future__ import annotations

from datetime import date

import pytest

from renkei_sandbox.oauth.pkce import is_valid_challenge, s256, verifier_matches
from renkei_sandbox.services.business_days import is_business_day
from renkei_sandbox.services.dates import DateWindow, date_window
from renkei_sandbox.services.errors import InvalidRequest
from renkei_sandbox.services.fees import transfer_fee
from renkei_sandbox.services.pagination import decode_cursor, encode_cursor
from renkei_sandbox.services.transfers import execution_date

TODAY = date(2026, 11, 20)
FIRST = date(2025, 11, 21)


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        (None, None, DateWindow(TODAY, TODAY)),
        (date(2026, 11, 1), None, DateWindow(date(2026, 11, 1), TODAY)),
        (None, date(2026, 3, 31), DateWindow(FIRST, date(2026, 3, 31))),
        (date(2026, 1, 1), date(2026, 1, 31), DateWindow(date(2026, 1, 1), date(2026, 1, 31))),
    ],
)
def test_date_window(date_from: date | None, date_to: date | None, expected: DateWindow) -> None:
    assert date_window(date_from, date_to, TODAY, FIRST) == expected


def test_reversed_window_is_rejected() -> None:
    with pytest.raises(InvalidRequest):
        date_window(date(2026, 2, 1), date(2026, 1, 1), TODAY, FIRST)


@pytest.mark.parametrize(
    ("day", "business"),
    [
        (date(2026, 11, 20), True),  # Friday
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 11, 23), False),  # 勤労感謝の日
        (date(2026, 12, 31), False),
        (date(2027, 1, 4), True),
        (date(2026, 5, 6), False),  # 振替休日
    ],
)
def test_business_days(day: date, business: bool) -> None:
    assert is_business_day(day) is business


def test_execution_date_follows_the_holiday_code() -> None:
    assert execution_date(date(2026, 11, 21), "1", TODAY) == date(2026, 11, 24)
    assert execution_date(date(2026, 11, 21), "2", TODAY) == TODAY
    with pytest.raises(InvalidRequest):
        execution_date(date(2026, 11, 21), "3", TODAY)
    with pytest.raises(InvalidRequest):
        execution_date(date(2026, 11, 19), None, TODAY)
    with pytest.raises(InvalidRequest):
        execution_date(date(2027, 1, 20), None, TODAY)


def test_fees() -> None:
    assert transfer_fee("2963", "101", "2963", "201", 50_000) == 0
    assert transfer_fee("2963", "101", "2951", "101", 50_000) == 110
    assert transfer_fee("2963", "101", "0005", "001", 29_999) == 220
    assert transfer_fee("2963", "101", "0005", "001", 30_000) == 330


def test_cursor_round_trip_and_garbage() -> None:
    assert decode_cursor(encode_cursor("2026-01-01", "X1"), 2) == ("2026-01-01", "X1")
    for garbage in ["%%%", encode_cursor("only-one"), "e30"]:
        with pytest.raises(InvalidRequest):
            decode_cursor(garbage, 2)


def test_pkce_s256_only() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert s256(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"  # RFC 7636 appendix B
    assert verifier_matches(verifier, s256(verifier))
    assert not verifier_matches(verifier, verifier)  # `plain` never matches
    assert not verifier_matches("short", s256("short"))
    assert is_valid_challenge(s256(verifier)) and not is_valid_challenge("abc")
