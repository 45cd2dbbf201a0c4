"""`x-fapi-interaction-id` echoed (or minted) on 2xx and 4xx, and the standard error body on every 4xx."""

from __future__ import annotations

import uuid

import httpx

from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.context import StandardContext, error_body_problem
from renkei.conformance.standard.probes import INTERACTION_ID, Probe, run_probes

_EXPECTED_STATUS = {"unauthenticated": 401, "not-found": 404, "bad-query": 400}


def _interaction_problem(probe: Probe) -> str | None:
    got = probe.response.headers.get(INTERACTION_ID)
    status = probe.response.status_code
    if got is None:
        return f"{probe.kind} (HTTP {status}): no {INTERACTION_ID} header"
    if probe.sent_interaction_id is not None:
        if got != probe.sent_interaction_id:
            return f"{probe.kind} (HTTP {status}): sent {probe.sent_interaction_id}, got back {got}"
        return None
    try:
        uuid.UUID(got)
    except ValueError:
        return f"{probe.kind} (HTTP {status}): minted {INTERACTION_ID} {got!r} is not a UUID"
    return None


def _status_problem(probe: Probe) -> str | None:
    status = probe.response.status_code
    expected = _EXPECTED_STATUS.get(probe.kind)
    if probe.kind == "positive" and not 200 <= status < 300:
        return f"positive request with real ids got HTTP {status}"
    if expected is not None and status != expected:
        return f"{probe.kind} request got HTTP {status}, expected {expected}"
    return None


def check_operation(context: StandardContext, operation: TargetOperation) -> None:
    probes = run_probes(context, operation)
    name = operation.operation_id
    if not probes:
        for check in ("interaction-id", "error-body", "documented-status"):
            context.skip(name, check, "no real value known for a path parameter")
        return
    interaction: list[tuple[str, httpx.Response]] = []
    errors: list[tuple[str, httpx.Response]] = []
    statuses: list[tuple[str, httpx.Response]] = []
    for probe in probes:
        if (problem := _interaction_problem(probe)) is not None:
            interaction.append((problem, probe.response))
        if 400 <= probe.response.status_code < 500 and (
            problem := error_body_problem(context, probe.response)
        ):
            errors.append((f"{probe.kind}: {problem}", probe.response))
        if (problem := _status_problem(probe)) is not None:
            statuses.append((problem, probe.response))
    context.verdict(name, "interaction-id", interaction)
    context.verdict(name, "error-body", errors)
    context.verdict(name, "documented-status", statuses)


def check_headers_and_errors(context: StandardContext) -> None:
    for operation in context.api.operations:
        check_operation(context, operation)
