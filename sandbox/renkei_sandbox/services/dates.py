"""The date window of list operations (GMO Aozora's rules, docs/spec-conventions.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from renkei_sandbox.services.errors import InvalidRequest


@dataclass(frozen=True)
class DateWindow:
    date_from: date
    date_to: date


def date_window(date_from: date | None, date_to: date | None, today: date, first: date | None) -> DateWindow:
    """Neither: today only; only from: from..today; only to: first record..to; both: from..to."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidRequest("dateFrom は dateTo 以前の日付を指定してください。", field="query.dateFrom")
    if date_from is None and date_to is None:
        return DateWindow(today, today)
    if date_to is None:
        assert date_from is not None
        return DateWindow(date_from, max(date_from, today))
    if date_from is None:
        start = first if first is not None and first <= date_to else date_to
        return DateWindow(start, date_to)
    return DateWindow(date_from, date_to)
