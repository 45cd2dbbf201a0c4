"""`x-fapi-interaction-id`: echoed when the client sends a sane one, created otherwise."""

from __future__ import annotations

import re
from itertools import count
from random import getrandbits as _random_bits

from starlette.datastructures import Headers

__all__ = [
    "INTERACTION_ID_HEADER",
    "interaction_id_from",
    "interaction_id_of",
    "is_uuid",
    "new_interaction_id",
]

INTERACTION_ID_HEADER = "x-fapi-interaction-id"
_SANE = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_SANE_BYTES = re.compile(rb"[A-Za-z0-9._:\-]{1,128}")
_UUID = re.compile(rb"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


def is_uuid(raw: bytes) -> bool:
    """An RFC 4122 textual UUID (what the standard's `format: uuid` asks for)."""
    return _UUID.fullmatch(raw) is not None


def interaction_id_of(headers: Headers) -> str:
    """The client's id when it sent a sane one, else a new one."""
    given = headers.get(INTERACTION_ID_HEADER)
    if given is not None and _SANE.fullmatch(given):
        return given
    return new_interaction_id()


def interaction_id_from(raw: bytes | None) -> str:
    """The same from the raw header value."""
    if raw is not None and _SANE_BYTES.fullmatch(raw):
        return raw.decode("ascii")
    return new_interaction_id()


_CLEAR_VERSION_AND_VARIANT = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
_VERSION_4_VARIANT_RFC4122 = (0x4 << 76) | (0x2 << 62)
_SEQUENCE_BITS = 48
"""The last group of the UUID (12 hex digits) counts; the first 74 random bits are drawn once per batch."""


def _random_head() -> str:
    h = "%032x" % (_random_bits(128) & _CLEAR_VERSION_AND_VARIANT | _VERSION_4_VARIANT_RFC4122)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-"


class _InteractionIds:
    """Version-4-shaped UUIDs: a random head (74 random bits) and a counter in the last group, which starts
    at a random value and draws a new head when it wraps. Unique per process and, through the head, across
    processes; a correlation id, not a secret, so neither the `random` generator nor the counter is a
    weakness. Costs a fraction of `uuid.uuid4()` per request."""

    __slots__ = ("counter", "head")

    def __init__(self) -> None:
        self.head = _random_head()
        self.counter = count(_random_bits(_SEQUENCE_BITS - 1))
        """`next()` on a count is atomic under the GIL: threads never draw the same value."""

    def __call__(self) -> str:
        value = next(self.counter)
        if value >> _SEQUENCE_BITS:
            self.head, self.counter = _random_head(), count(1)
            value = 0
        return f"{self.head}{value:012x}"


new_interaction_id = _InteractionIds()
"""A new `x-fapi-interaction-id`: `new_interaction_id()`."""
