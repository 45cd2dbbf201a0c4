"""One conformance run: resolve the provider profile and tokens, then per API discover real ids, run
schemathesis and the standard's checks; write the reports and return the exit code (0 passed, 1 failures,
2 could not run, 3 the provider stopped answering mid-run)."""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console

from renkei.conformance.credentials import flow_credentials
from renkei.conformance.discovery import discover
from renkei.conformance.errors import CannotRun
from renkei.conformance.fuzzing import PHASES, Budget, run_schemathesis, schemathesis_config
from renkei.conformance.oauth_flow import FlowCredentials, obtain_token
from renkei.conformance.profile import (
    AuthorizationServer,
    ClientCredentials,
    Customer,
    Customers,
    Profile,
    dump_profile,
)
from renkei.conformance.profile import load_profile as read_profile
from renkei.conformance.progress import RunProgress
from renkei.conformance.reports.html import write_html
from renkei.conformance.reports.junit import write_junit
from renkei.conformance.reports.terminal import print_summary
from renkei.conformance.results import CheckResult, Evidence, Outcome, RunSummary
from renkei.conformance.specs import ApiSpec, api_root, load_api
from renkei.conformance.standard.context import StandardContext
from renkei.conformance.standard.suite import run_standard_checks
from renkei.conformance.target import ForeignIds, KnownData, Target
from renkei.output import is_quiet

PREFERRED_NARROW_SCOPE = "accounts:read"
DISCOVERY_SCOPES = ("accounts:read", "balances:read")
"""Asked for besides the specs' scopes when the provider offers them: transfers need real account ids, and
the money checks read balances."""
PROVIDER_CHECK = "provider-availability"
GROUP_STANDARD = "standard"
GROUP_FAPI = "fapi"
GROUPS = (GROUP_STANDARD, GROUP_FAPI)


@dataclass(frozen=True)
class Access:
    """How to reach and authenticate at the deployment: a profile file, or the command line's options."""

    base_url: str | None
    token: str | None = None
    flow: FlowCredentials | None = None
    bank_code: str | None = None
    sandbox: bool = False
    profile: Path | None = None
    sandbox_seed: int = 1
    """The sandbox's data seed (`--sandbox`)."""
    group: str = "standard"
    """`standard`: schemathesis and the standard's checks; `fapi`: the FAPI 2.0 group (`--group fapi`)."""


@dataclass
class Resolved:
    profile: Profile
    origin: str
    notes: list[str] = field(default_factory=list)


def _check_reachable(base_url: str) -> None:
    try:
        httpx.get(base_url, timeout=10)
    except httpx.HTTPError as error:
        raise CannotRun(f"cannot reach {base_url}: {error.__class__.__name__}") from None


def _offered_scopes(metadata_url: str) -> list[str]:
    """`scopes_supported` of the authorization server's RFC 8414 metadata (empty when unavailable)."""
    try:
        response = httpx.get(metadata_url, timeout=10)
        offered = response.json().get("scopes_supported") if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError, AttributeError):
        return []
    return [str(s) for s in offered] if isinstance(offered, list) else []


def _narrow_scope(scopes: list[str]) -> str | None:
    if len(scopes) < 2:
        return None
    return PREFERRED_NARROW_SCOPE if PREFERRED_NARROW_SCOPE in scopes else scopes[0]


def _foreign(profile: Profile, secondary_known: KnownData | None) -> ForeignIds:
    secondary = profile.customers.secondary
    accounts = tuple(secondary.accounts) if secondary else ()
    cards = tuple(secondary.cards) if secondary else ()
    if secondary_known is not None:
        accounts = accounts or tuple(secondary_known.account_ids)
        cards = cards or tuple(secondary_known.card_ids)
    other_bank = profile.other_bank
    return ForeignIds(
        other_customer_accounts=accounts,
        other_bank_accounts=tuple((other_bank.bank_code, a) for a in other_bank.accounts)
        if other_bank
        else (),
        other_customer_cards=cards,
    )


def _secondary(
    profile: Profile, scopes: list[str], origin: str, apis: list[ApiSpec]
) -> tuple[str | None, KnownData | None]:
    """The second customer's token and ids (read with that token)."""
    secondary = profile.customers.secondary
    if secondary is None:
        return None, None
    token = secondary.access_token
    credentials = flow_credentials(profile, secondary)
    if token is None and credentials is not None:
        token = obtain_token(origin, credentials, scopes)
    if token is None:
        return None, None
    probe = Target(origin, token, secondary.bank_code)
    known = KnownData()
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
        for api in apis:
            found = discover(http, _root(profile, origin, api), probe)
            known.account_ids += [a for a in found.account_ids if a not in known.account_ids]
            known.deposit_account_ids += [
                a for a in found.deposit_account_ids if a not in known.deposit_account_ids
            ]
            known.card_ids += [c for c in found.card_ids if c not in known.card_ids]
    return token, known


def _root(profile: Profile, origin: str, api: ApiSpec) -> str:
    configured = profile.base_url_for(api.name)
    return configured.rstrip("/") if configured else api_root(origin, api)


def _target(resolved: Resolved, apis: list[ApiSpec]) -> Target:
    profile, origin = resolved.profile, resolved.origin
    _check_reachable(origin)
    primary = profile.customers.primary
    bank_code = primary.bank_code
    if bank_code is None and any("{bankCode}" in op.path for api in apis for op in api.operations):
        raise CannotRun("give --bank-code: the bank APIs' paths start with /banks/{bankCode}")
    scopes = list(dict.fromkeys(scope for api in apis for scope in api.scopes))
    offered = _offered_scopes(profile.metadata_url())
    scopes += [scope for scope in DISCOVERY_SCOPES if scope not in scopes and scope in offered]
    roots = {api.name: _root(profile, origin, api) for api in apis}
    secondary_token, secondary_known = _secondary(profile, scopes, origin, apis)
    foreign = _foreign(profile, secondary_known)
    common = {"foreign": foreign, "profile": profile, "secondary_token": secondary_token, "roots": roots}
    if primary.access_token:
        return Target(origin, primary.access_token, bank_code, **common)  # type: ignore[arg-type]
    credentials = flow_credentials(profile, primary)
    if credentials is None:
        raise CannotRun("give --token, or --client-id, --client-secret, --username and --password")
    token = obtain_token(origin, credentials, scopes)
    narrow = _narrow_scope(scopes)
    narrow_token = obtain_token(origin, credentials, [narrow]) if narrow else None
    return Target(origin, token, bank_code, narrow_token, narrow, **common)  # type: ignore[arg-type]


def _verify_token(http: httpx.Client, root: str, target: Target, api: ApiSpec) -> None:
    """A 401 on a plain list call means the token is not accepted at all: that is exit 2, not a finding."""
    plain = [
        op
        for op in api.operations
        if op.method == "GET" and op.scopes and "{" not in op.path.replace("{bankCode}", "")
    ]
    if not plain:  # (a public operation such as GET /banks says nothing about the token)
        return
    url = root + plain[0].path.replace("{bankCode}", target.bank_code or "")
    try:
        status = http.get(url).status_code
    except httpx.HTTPError as error:
        raise CannotRun(f"cannot reach {url}: {error.__class__.__name__}") from None
    if status == 401:
        raise CannotRun(f"authentication failed: the deployment refused the token (HTTP 401 from {url})")


def command_line_profile(access: Access) -> Profile:
    """The options --base-url/--token/--client-id/... as a profile (one customer, no foreign ids)."""
    if not access.base_url:
        raise CannotRun("give --profile, --base-url or --sandbox")
    flow = access.flow
    client = None
    if flow is not None:
        client = ClientCredentials(
            client_id=flow.client_id, client_secret=flow.client_secret, redirect_uri=flow.redirect_uri
        )
    primary = Customer(
        username=flow.username if flow else None,
        password=flow.password if flow else None,
        bank_code=access.bank_code or (flow.bank_code if flow else None),
        access_token=access.token,
    )
    base = access.base_url.rstrip("/")
    return Profile(
        name=base,
        client=client,
        customers=Customers(primary=primary),
        authorization_server=AuthorizationServer(
            metadata_url=f"{base}/.well-known/oauth-authorization-server"
        ),
    )


@contextmanager
def _resolved(access: Access, apis: list[ApiSpec], report_dir: Path | None, seed: int) -> Iterator[Resolved]:
    if access.sandbox:
        from renkei.conformance.local_sandbox import local_sandbox

        keep = report_dir / "sandbox.sqlite3" if report_dir is not None else None
        if report_dir is not None:
            report_dir.mkdir(parents=True, exist_ok=True)
        with local_sandbox(
            seed_number=access.sandbox_seed,
            api_names=[api.name for api in apis],
            keep_database=keep,
            fapi=access.group == GROUP_FAPI,
        ) as sandbox:
            resolved = Resolved(sandbox.profile, sandbox.base_url)
            if report_dir is not None:
                dump_profile(_keeping_key(sandbox.profile, report_dir), report_dir / "profile.yaml")
                resolved.notes.append(
                    f"the sandbox ran at {sandbox.base_url} and is stopped now; to replay the curls "
                    f"below, serve its database again on that port: {sandbox.serve_command(f'sqlite:///{keep}')}"
                    f" (its profile: {report_dir / 'profile.yaml'})"
                )
            else:
                resolved.notes.append(
                    f"the sandbox ran at {sandbox.base_url} and is stopped now; give --report-dir to keep "
                    f"its database and profile, then serve it again on port {sandbox.port} to replay curls"
                )
            yield resolved
        return
    if access.profile is not None:
        profile = read_profile(access.profile)
        if access.base_url:
            profile = profile.model_copy(update={"apis": {api.name: access.base_url for api in apis}})
        yield Resolved(profile, profile.origin())
        return
    profile = command_line_profile(access)
    yield Resolved(profile, access.base_url.rstrip("/") if access.base_url else "")


def _keeping_key(profile: Profile, report_dir: Path) -> Profile:
    """The profile with its client key (a FAPI sandbox's, in the temporary directory) copied next to it."""
    client = profile.client
    if client is None or client.private_key_jwk is None:
        return profile
    kept = report_dir / "client.jwk.json"
    kept.unlink(missing_ok=True)
    fd = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(client.private_key_jwk.read_text(encoding="utf-8"))
    moved = client.model_copy(update={"private_key_jwk": Path(kept.name)})
    return profile.model_copy(update={"client": moved})


def _run_fapi(resolved: Resolved, apis: list[ApiSpec], summary: RunSummary, progress: RunProgress) -> None:
    from renkei.conformance.fapi.suite import run_fapi_checks

    results = run_fapi_checks(
        resolved.profile, resolved.origin, apis, lambda step: progress.update(GROUP_FAPI, step)
    )
    summary.results.extend(results)
    failed = sum(1 for r in results if r.outcome is Outcome.failed)
    progress.finish(GROUP_FAPI, f"{len(results)} checks, {failed} failing")


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


def _answers(origin: str) -> bool:
    try:
        httpx.get(origin, timeout=5)
    except httpx.HTTPError:
        return False
    return True


def _run_api(
    api: ApiSpec, target: Target, budget: Budget, summary: RunSummary, progress: RunProgress
) -> None:
    root = target.roots.get(api.name) or api_root(target.base_url, api)
    with httpx.Client(headers={"Authorization": f"Bearer {target.token}"}, timeout=30) as http:
        _verify_token(http, root, target, api)
        progress.update(api.name, "reading real ids")
        cases = 0
        if budget.phases:
            cases = _fuzz(api, root, target, discover(http, root, target), budget, summary, progress)
            if not _answers(target.base_url):
                raise httpx.ConnectError(f"{target.base_url} stopped answering during schemathesis")
        known = discover(http, root, target)  # again: fuzzing created transfers the checks can use
    with httpx.Client(timeout=30) as anonymous:
        context = StandardContext(api, root, target, known, anonymous)
        try:
            run_standard_checks(context, lambda step: progress.update(api.name, f"standard: {step}"))
        finally:
            summary.results.extend(context.results)
    failed = sum(1 for r in summary.failures if r.api == api.name)
    progress.finish(api.name, f"{cases} cases, {failed} failing checks")


def _provider_stopped(summary: RunSummary, api: ApiSpec, error: httpx.HTTPError) -> None:
    from renkei.conformance.curl import as_curl

    try:
        curl = as_curl(error.request)
    except RuntimeError:  # no request attached
        curl = ""
    message = f"provider stopped answering: {error.__class__.__name__}: {error}"
    summary.provider_stopped = message
    summary.results.append(
        CheckResult(api.name, "(run)", PROVIDER_CHECK, "standard", Outcome.failed, message, (Evidence(curl),))
    )


def execute_run(
    specs: list[Path],
    access: Access,
    max_examples: int,
    time_limit: float | None,
    seed: int | None,
    console: Console,
    phases: tuple[str, ...] = PHASES,
    report_dir: Path | None = None,
) -> tuple[RunSummary, str]:
    """Run everything; returns the summary and the tested base URL. Raises CannotRun. A provider that
    stops answering mid-run ends the run with `summary.provider_stopped` set (what ran is kept)."""
    apis = [load_api(path) for path in specs]
    if not apis:
        raise CannotRun("no spec given")
    summary = RunSummary()
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    summary.notes.append(f"seed {seed} (repeat the test cases with --seed {seed})")
    started = time.monotonic()
    with _resolved(access, apis, report_dir, seed) as resolved:
        if access.group == GROUP_FAPI:
            with RunProgress(console, enabled=not is_quiet()) as progress:
                try:
                    _run_fapi(resolved, apis, summary, progress)
                except httpx.TransportError as error:
                    _provider_stopped(summary, apis[0], error)
            summary.notes.extend(resolved.notes)
            summary.seconds = time.monotonic() - started
            return summary, resolved.origin
        target = _target(resolved, apis)
        seconds = max(1.0, time_limit / len(apis)) if time_limit else None
        budget = Budget(max_examples, seconds, seed, phases)
        with RunProgress(console, enabled=not is_quiet()) as progress:
            for api in apis:
                try:
                    _run_api(api, target, budget, summary, progress)
                except httpx.TransportError as error:
                    _provider_stopped(summary, api, error)
                    break
        summary.notes.extend(resolved.notes)
    summary.seconds = time.monotonic() - started
    return summary, resolved.origin


def run_conformance(
    specs: list[Path],
    access: Access,
    report_dir: Path | None,
    max_examples: int,
    time_limit: float | None,
    seed: int | None,
    console: Console | None = None,
) -> int:
    """Exit code: 0 all passed, 1 failures found, 2 could not run (one line on stderr), 3 the provider
    stopped answering mid-run (reports written with what ran)."""
    console = console or Console()
    try:
        summary, base_url = execute_run(
            specs, access, max_examples, time_limit, seed, console, report_dir=report_dir
        )
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
    if summary.provider_stopped:
        print(f"renkei conformance: {summary.provider_stopped}", file=sys.stderr)
    return summary.exit_code
