"""Run schemathesis 4 (as a library) on one API: examples, coverage, fuzzing and stateful phases along the
spec's OpenAPI links, with real ids from the deployment fed in through schemathesis dictionaries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from renkei.conformance.curl import remask_curl
from renkei.conformance.results import CheckResult, Evidence, Outcome
from renkei.conformance.specs import ApiSpec
from renkei.conformance.target import KnownData

if TYPE_CHECKING:
    from schemathesis.core.transport import Response
    from schemathesis.engine.recorder import ScenarioRecorder

SUITE = "schemathesis"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
)
"""Checks we run. Left out: positive_data_acceptance (the standard has cross-field rules a schema cannot say,
e.g. dateFrom after dateTo is a 400), object_level_authorization (needs a second identity: see isolation),
unsupported_method/allow_header_conformance and max_response_time (not part of the standard).
Unknown query parameters are not generated either: the standard does not require rejecting them."""
_DISABLED = (
    "positive_data_acceptance",
    "object_level_authorization",
    "unsupported_method",
    "allow_header_conformance",
)
PHASES = ("examples", "coverage", "fuzzing", "stateful")
_REAL_ID_PROBABILITY = 0.9
_MAX_EVIDENCE = 3
_BODY_LIMIT = 4000


@dataclass(frozen=True)
class Budget:
    max_examples: int
    seconds: float | None
    """Wall-clock bound per API: schemathesis keeps fuzzing (and running stateful scenarios) until it is
    spent. None: one pass of every phase, `max_examples` each."""
    seed: int | None
    phases: tuple[str, ...] = PHASES
    """Schemathesis phases to run (all by default; tests pick fewer to stay fast)."""


@dataclass
class FuzzOutcome:
    results: list[CheckResult] = field(default_factory=list)
    test_cases: int = 0
    cases_by_phase: dict[str, int] = field(default_factory=dict)


def _bindings(api: ApiSpec, known: KnownData, bank_code: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Schemathesis dictionaries and parameter bindings: real ids most of the time, generated ones else."""
    values: dict[str, list[str]] = {
        "path.bankCode": [bank_code] if bank_code else [],
        "path.accountId": known.account_ids,
        "body.accountId": known.deposit_account_ids,
        "path.transferId": known.transfer_ids,
        "path.cardId": known.card_ids,
        "path.billingMonth": known.billing_months,
    }
    names = {name for op in api.operations for name in op.parameters} | {"accountId"}
    dictionaries: dict[str, Any] = {}
    parameters: dict[str, Any] = {}
    for key, entries in values.items():
        name = key.split(".", 1)[1]
        if not entries or name not in names:
            continue
        dictionary = key.replace(".", "-")
        dictionaries[dictionary] = {"values": entries}
        parameters[key] = {"dictionary": dictionary, "probability": _REAL_ID_PROBABILITY}
    return dictionaries, parameters


def schemathesis_config(
    api: ApiSpec, root: str, token: str, known: KnownData, bank_code: str | None, budget: Budget
) -> dict[str, Any]:
    """The run's configuration in schemathesis' own (TOML-shaped) form."""
    dictionaries, parameters = _bindings(api, known, bank_code)
    config: dict[str, Any] = {
        "base-url": root,
        "headers": {"Authorization": f"Bearer {token}"},
        "generation": {"max-examples": budget.max_examples, "allow-extra-parameters": False},
        "checks": {name: {"enabled": False} for name in _DISABLED},
        "phases": {name: {"enabled": name in budget.phases} for name in PHASES},
        "warnings": False,
        # our own masking by header/field name (curl.py): schemathesis' would also hide Idempotency-Key
        "output": {"sanitization": {"enabled": False}},
        "request-timeout": 30,
    }
    if budget.seconds is not None:
        config["max-time"] = max(1, round(budget.seconds))
    if budget.seed is not None:
        config["seed"] = budget.seed
    if dictionaries:
        config["dictionaries"] = dictionaries
        config["parameters"] = parameters
    return config


def _operation_id(api: ApiSpec, label: str) -> str:
    method, _, path = label.partition(" ")
    for op in api.operations:
        if op.method == method.upper() and op.path == path:
            return op.operation_id
    return label


def _response_evidence(curl: str, response: Response | None) -> Evidence:
    if response is None:
        return Evidence(curl=curl)
    body = bytes(response.content or b"").decode("utf-8", errors="replace")
    headers = {
        str(k): ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in response.headers.items()
    }
    return Evidence(curl=curl, status=int(response.status_code), headers=headers, body=body[:_BODY_LIMIT])


class _Collector:
    """Folds schemathesis' per-case check results into one result per (operation, check)."""

    def __init__(self, api: ApiSpec) -> None:
        self.api = api
        self.passed: set[tuple[str, str]] = set()
        self.failed: dict[tuple[str, str], list[tuple[str, Evidence]]] = {}
        self.cases = 0
        self.by_phase: dict[str, int] = {}

    def scenario(self, recorder: ScenarioRecorder, phase: str) -> None:
        sent = sum(1 for interaction in recorder.interactions.values() if interaction.response is not None)
        self.cases += sent
        self.by_phase[phase] = self.by_phase.get(phase, 0) + sent
        for case_id, checks in recorder.checks.items():
            node = recorder.cases.get(case_id)
            if node is None:
                continue
            operation = _operation_id(self.api, node.value.operation.label)
            for check in checks:
                key = (operation, check.name)
                if check.failure_info is None:
                    self.passed.add(key)
                    continue
                interaction = recorder.interactions.get(case_id)
                curl = _masked(check.failure_info.steps[-1].curl if check.failure_info.steps else "")
                if not curl:
                    curl = _masked(node.value.as_curl_command())
                failure = check.failure_info.failure
                message = f"{failure.title}: {failure.message}".strip()
                found = self.failed.setdefault(key, [])
                if len(found) < _MAX_EVIDENCE and all(m != message for m, _ in found):
                    found.append(
                        (message, _response_evidence(curl, interaction.response if interaction else None))
                    )

    def error(self, label: str, message: str) -> None:
        operation = _operation_id(self.api, label) if label else "(run)"
        self.failed.setdefault((operation, "runtime_error"), []).append((message, Evidence(curl="")))

    def results(self) -> list[CheckResult]:
        out: list[CheckResult] = []
        for operation, check in sorted(self.failed):
            found = self.failed[(operation, check)]
            message = "\n".join(m for m, _ in found)
            evidence = tuple(e for _, e in found)
            out.append(CheckResult(self.api.name, operation, check, SUITE, Outcome.failed, message, evidence))
        for operation, check in sorted(self.passed - set(self.failed)):
            out.append(CheckResult(self.api.name, operation, check, SUITE, Outcome.passed))
        return out


def _masked(curl: str) -> str:
    return remask_curl(curl) if curl else curl


def run_schemathesis(
    api: ApiSpec,
    config: dict[str, Any],
    on_progress: Callable[[str, int], None] | None = None,
) -> FuzzOutcome:
    """Run every phase; `on_progress(label, cases_so_far)` after each scenario."""
    import schemathesis
    from schemathesis.engine import events, from_schema

    loaded = schemathesis.openapi.from_dict(api.document, config=schemathesis.Config.from_dict(config))
    ending = [op.operation_id for op in api.operations if op.ends_consent]
    # revoking the consent would end the run's own token: those operations are not fuzzed
    schema = loaded.exclude(operation_id=ending) if ending else loaded
    collector = _Collector(api)
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            collector.scenario(event.recorder, str(event.phase.value))
            if on_progress is not None:
                on_progress(str(event.phase.value), collector.cases)
        elif isinstance(event, events.NonFatalError):
            collector.error(event.label, f"{event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            collector.error("", f"schemathesis stopped: {event.exception}")
    return FuzzOutcome(collector.results(), collector.cases, collector.by_phase)
