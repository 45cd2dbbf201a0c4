"""One conformance run: resolve the target and tokens, then per API discover real ids, run schemathesis and
the standard's checks; write the reports and return the exit code (0 passed, 1 failures, 2 could not run)."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.console import Console

from renkei.conformance.discovery import discover
from renkei.conformance.errors import CannotRun
from renkei.conformance.fuzzing import PHASES, Budget, run_schemathesis, schemathesis_config
from renkei.conformance.oauth_flow import FlowCredentials, obtain_token
from renkei.conformance.progress import RunProgress
from renkei.conformance.reports.html import write_html
from renkei.conformance.reports.junit import write_junit
from renkei.conformance.reports.terminal import print_summary
from renkei.conformance.results import RunSummary
from renkei.conformance.specs import ApiSpec, api_root, load_api
from renkei.conformance.standard.context import StandardContext
from renkei.conformance.standard.suite import run_standard_checks
from renkei.conformance.target import ForeignIds, KnownData, Target

PREFERRED_NARROW_SCOPE = "accounts:read"
DISCOVERY_SCOPE = "accounts:read"
"""Asked for besides the specs' scopes when the provider offers it: transfers need real account ids."""


@dataclass(frozen=True)
class Access:
    """How to reach and authenticate at the deployment: a token, or the OAuth flow's credentials."""

    base_url: str | None
    token: str | None = None
    flow: FlowCredentials | None = None
    bank_code: str | None = None
    sandbox: bool = False


def _check_reachable(base_url: str) -> None:
    try:
        httpx.get(base_url, timeout=10)
    except httpx.HTTPError as error:
        raise CannotRun(f"cannot reach {base_url}: {error.__class__.__name__}") from None


def _offered_scopes(base_url: str) -> list[str]:
    """`scopes_supported` of the authorization server's RFC 8414 metadata (empty when unavailable)."""
    try:
        response = httpx.get(f"{base_url}/.well-known/oauth-authorization-server", timeout=10)
        offered = response.json().get("scopes_supported") if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError, AttributeError):
        return []
    return [str(s) for s in offered] if isinstance(offered, list) else []


def _narrow_scope(scopes: list[str]) -> str | None:
    if len(scopes) < 2:
        return None
    return PREFERRED_NARROW_SCOPE if PREFERRED_NARROW_SCOPE in scopes else scopes[0]


def _target(base_url: str, access: Access, apis: list[ApiSpec], foreign: ForeignIds) -> Target:
    _check_reachable(base_url)
    bank_code = access.bank_code or (access.flow.bank_code if access.flow else None)
    if bank_code is None and any("{bankCode}" in op.path for api in apis for op in api.operations):
        raise CannotRun("give --bank-code: the bank APIs' paths start with /banks/{bankCode}")
    scopes = list(dict.fromkeys(scope for api in apis for scope in api.scopes))
    if DISCOVERY_SCOPE not in scopes and DISCOVERY_SCOPE in _offered_scopes(base_url):
        scopes.append(DISCOVERY_SCOPE)
    if access.token:
        return Target(base_url, access.token, bank_code, foreign=foreign)
    if access.flow is None:
        raise CannotRun("give --token, or --client-id, --client-secret, --username and --password")
    token = obtain_token(base_url, access.flow, scopes)
    narrow = _narrow_scope(scopes)
    narrow_token = obtain_token(base_url, access.flow, [narrow]) if narrow else None
    return Target(base_url, token, bank_code, narrow_token, narrow, foreign)


def _verify_token(http: httpx.Client, root: str, target: Target, api: ApiSpec) -> None:
    """A 401 on a plain list call means the token is not accepted at all: that is exit 2, not a finding."""
    plain = [
        op for op in api.operations if op.method == "GET" and "{" not in op.path.replace("{bankCode}", "")
    ]
    if not plain:
        return
    url = root + plain[0].path.replace("{bankCode}", target.bank_code or "")
    try:
        status = http.get(url).status_code
    except httpx.HTTPError as error:
        raise CannotRun(f"cannot reach {url}: {error.__class__.__name__}") from None
    if status == 401:
        raise CannotRun(f"authentication failed: the deployment refused the token (HTTP 401 from {url})")


@contextmanager
def _resolved(access: Access) -> Iterator[tuple[str, Access, ForeignIds]]:
    if access.sandbox:
        from renkei.conformance.local_sandbox import local_sandbox

        with local_sandbox() as sandbox:
            yield sandbox.base_url, Access(sandbox.base_url, flow=sandbox.credentials), sandbox.foreign
        return
    if not access.base_url:
        raise CannotRun("give --base-url (or --sandbox)")
    yield access.base_url.rstrip("/"), access, ForeignIds()


def _fuzz(
    api: ApiSpec,
    root: str,
    target: Target,
    known: KnownData,
    budget: Budget,
    summary: RunSummary,
    progress: RunProgress,
) -> int:
    """schemathesis on one API; returns its number of test cases."""
    config = schemathesis_config(api, root, target.token, known, target.bank_code, budget)
    started = time.monotonic()
    outcome = run_schemathesis(
        api, config, lambda phase, cases: progress.update(api.name, f"schemathesis {phase}: {cases} cases")
    )
    summary.fuzz_seconds += time.monotonic() - started
    summary.results.extend(outcome.results)
    summary.test_cases += outcome.test_cases
    for phase, count in outcome.cases_by_phase.items():
        summary.cases_by_phase[phase] = summary.cases_by_phase.get(phase, 0) + count
    return outcome.test_cases


def _run_api(
    api: ApiSpec, target: Target, budget: Budget, summary: RunSummary, progress: RunProgress
) -> None:
    root = api_root(target.base_url, api)
    with httpx.Client(headers={"Authorization": f"Bearer {target.token}"}, timeout=30) as http:
        _verify_token(http, root, target, api)
        progress.update(api.name, "reading real ids")
        cases = _fuzz(api, root, target, discover(http, root, target), budget, summary, progress)
        known = discover(http, root, target)  # again: fuzzing created transfers the checks can use
    with httpx.Client(timeout=30) as anonymous:
        context = StandardContext(api, root, target, known, anonymous)
        run_standard_checks(context, lambda step: progress.update(api.name, f"standard: {step}"))
    summary.results.extend(context.results)
    failed = sum(1 for r in summary.failures if r.api == api.name)
    progress.finish(api.name, f"{cases} cases, {failed} failing checks")


def execute_run(
    specs: list[Path],
    access: Access,
    max_examples: int,
    time_limit: float | None,
    seed: int | None,
    console: Console,
    phases: tuple[str, ...] = PHASES,
) -> tuple[RunSummary, str]:
    """Run everything; returns the summary and the tested base URL. Raises CannotRun."""
    apis = [load_api(path) for path in specs]
    if not apis:
        raise CannotRun("no spec given")
    summary = RunSummary()
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    summary.notes.append(f"seed {seed} (repeat the test cases with --seed {seed})")
    started = time.monotonic()
    with _resolved(access) as (base_url, resolved, foreign):
        target = _target(base_url, resolved, apis, foreign)
        seconds = max(1.0, time_limit / len(apis)) if time_limit else None
        budget = Budget(max_examples, seconds, seed, phases)
        with RunProgress(console) as progress:
            for api in apis:
                _run_api(api, target, budget, summary, progress)
    summary.seconds = time.monotonic() - started
    return summary, base_url


def run_conformance(
    specs: list[Path],
    access: Access,
    report_dir: Path | None,
    max_examples: int,
    time_limit: float | None,
    seed: int | None,
    console: Console | None = None,
) -> int:
    """Exit code: 0 all passed, 1 failures found, 2 could not run (one line on stderr)."""
    console = console or Console()
    try:
        summary, base_url = execute_run(specs, access, max_examples, time_limit, seed, console)
    except CannotRun as error:
        print(f"renkei conformance: {error}", file=sys.stderr)
        return 2
    except httpx.HTTPError as error:
        print(
            f"renkei conformance: lost the deployment: {error.__class__.__name__}: {error}", file=sys.stderr
        )
        return 2
    print_summary(console, summary)
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        write_junit(summary, report_dir / "junit.xml")
        write_html(summary, base_url, report_dir / "report.html")
        console.print(f"reports: {report_dir / 'junit.xml'}, {report_dir / 'report.html'}", highlight=False)
    return summary.exit_code
