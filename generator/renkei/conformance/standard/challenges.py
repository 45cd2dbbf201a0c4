"""RFC 6750 §3: a 401 challenges with `Bearer` (error="invalid_token" for a bad token) and a request whose
token lacks the operation's scope gets 403 with error="insufficient_scope"."""

from __future__ import annotations

import re

import httpx

from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.context import StandardContext, error_body_problem

CHECK = "rfc6750-challenge"
_AUTH_PARAM = re.compile(r'([a-zA-Z_]+)="([^"]*)"')


def _challenge(response: httpx.Response) -> tuple[str, dict[str, str]] | None:
    value = response.headers.get("www-authenticate")
    if not value:
        return None
    scheme, _, rest = value.strip().partition(" ")
    return scheme, dict(_AUTH_PARAM.findall(rest))


def challenge_problems(response: httpx.Response, status: int, error: str | None) -> list[str]:
    found: list[str] = []
    if response.status_code != status:
        return [f"expected HTTP {status}, got {response.status_code}"]
    challenge = _challenge(response)
    if challenge is None or challenge[0].lower() != "bearer":
        found.append(f"HTTP {status} without a WWW-Authenticate: Bearer challenge")
    elif error is not None and challenge[1].get("error") != error:
        found.append(
            f'HTTP {status} challenge lacks error="{error}": {response.headers.get("www-authenticate")}'
        )
    return found


def _narrow_probe(context: StandardContext, operation: TargetOperation) -> httpx.Response | None:
    url = context.url(operation)
    if url is None or context.target.narrow_token is None:
        return None
    return context.send(operation, url, context.auth(context.target.narrow_token))


def check_challenges(context: StandardContext) -> None:
    narrow = context.target.narrow_scope
    for operation in context.api.operations:
        url = context.url(operation)
        if operation.public:
            continue  # security: [] (the bank directory): no token is asked for, so no challenge to check
        if url is None:
            context.skip(operation.operation_id, CHECK, "no real value known for a path parameter")
            continue
        problems: list[tuple[str, httpx.Response]] = []
        bad = context.send(operation, url, {"Authorization": "Bearer not-a-valid-token-0000"})
        problems += [(p, bad) for p in challenge_problems(bad, 401, "invalid_token")]
        missing = context.send(operation, url, {})
        problems += [(p, missing) for p in challenge_problems(missing, 401, None)]
        if narrow is not None and narrow not in operation.scopes and operation.method == "GET":
            response = _narrow_probe(context, operation)
            if response is not None:
                problems += [(p, response) for p in challenge_problems(response, 403, "insufficient_scope")]
                if response.status_code == 403 and (problem := error_body_problem(context, response)):
                    problems.append((problem, response))
        context.verdict(operation.operation_id, CHECK, problems)
