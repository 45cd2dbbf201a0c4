"""A few requests per operation whose outcome the standard fixes: a positive call with real ids, a call
without a token (401), one with an unknown id (404) and one with an out-of-range `limit` (400)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx

from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.context import StandardContext

INTERACTION_ID = "x-fapi-interaction-id"
_ID_PARAMETERS = ("transferId", "accountId", "cardId", "billingMonth")


@dataclass(frozen=True)
class Probe:
    kind: str
    """`positive`, `unauthenticated`, `not-found` or `bad-query`."""
    sent_interaction_id: str | None
    response: httpx.Response


def _other_char(char: str) -> str:
    if char.isdigit():
        return "9" if char != "9" else "8"
    return "Z" if char != "Z" else "Y"


def unknown_value(name: str, real: str) -> str:
    """A well-formed value for `name` that names nothing: the real one with its first and last characters
    changed (ids handed out in sequence differ in their last characters, so both ends change)."""
    if name == "billingMonth":
        return "2001-01"
    if name == "bankCode":
        return "9899"
    if len(real) < 2:
        return _other_char(real)
    return _other_char(real[0]) + real[1:-1] + _other_char(real[-1])


def not_found_url(context: StandardContext, operation: TargetOperation) -> str | None:
    """The operation's URL with its innermost id replaced by an unknown one."""
    values = context.path_values()
    for name in _ID_PARAMETERS:
        real = values.get(name)
        if "{" + name + "}" in operation.path and real:
            return context.url(operation, {name: unknown_value(name, real)})
    return None


def run_probes(context: StandardContext, operation: TargetOperation) -> list[Probe]:
    probes: list[Probe] = []
    url = context.url(operation)
    if url is None:
        return probes

    def send(
        kind: str, target: str, auth: bool, params: dict[str, str] | None = None, echo: bool = True
    ) -> None:
        sent = str(uuid.uuid4()) if echo else None
        headers = context.auth() if auth else {}
        if sent:
            headers[INTERACTION_ID] = sent
        probes.append(Probe(kind, sent, context.send(operation, target, headers, params)))

    if operation.method == "GET":
        send("positive", url, auth=True)
        send("positive", url, auth=True, echo=False)
    if not operation.public:
        send("unauthenticated", url, auth=False)
        send("unauthenticated", url, auth=False, echo=False)
    missing = not_found_url(context, operation)
    if missing is not None and operation.method == "GET":
        send("not-found", missing, auth=True)
    if "limit" in operation.parameters:
        send("bad-query", url, auth=True, params={"limit": "0"})
    return probes
