"""Counters of the abuse limits: one row per (bucket, window), shared by every worker."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from renkei_sandbox.db.base import Base


class RateLimitCounter(Base):
    """How many hits a bucket (`policy:partition`, e.g. `token:client:abc`) took in one fixed window; the
    sliding-window estimate weighs the previous window's count by how much of it still overlaps."""

    __tablename__ = "rate_limit_counters"

    bucket: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    """Unix seconds at which the window began (a multiple of the window length)."""
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime]
    """When the row stops mattering (the end of the window after this one); housekeeping deletes it then."""
