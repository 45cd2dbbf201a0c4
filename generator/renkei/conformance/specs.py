"""The APIs under test: bundled documents, their operations, scopes and the server path (`/v2`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from renkei.conformance.errors import CannotRun
from renkei.loading.errors import SpecError
from renkei.loading.spec import load_spec
from renkei.loading.walk import iter_operations

TESTED_METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class TargetOperation:
    """An operation of the API under test, as the conformance checks address it."""

    operation_id: str
    method: str
    path: str
    scopes: tuple[str, ...]
    parameters: tuple[str, ...]
    """Names of the operation's parameters (path, query and header)."""
    public: bool = False
    """`security: []`: a deliberately public operation (the bank directory), answered without a token."""
    ends_consent: bool = False
    """`x-ends-consent: true` (revokeConsent): calling it kills the suite's own token, so it is not fuzzed."""


@dataclass(frozen=True)
class ApiSpec:
    name: str
    """The document's file stem, e.g. `bank-inquiry`."""
    document: dict[str, Any]
    operations: tuple[TargetOperation, ...]

    @property
    def server_path(self) -> str:
        """The path of the first server URL (`/v2`): the API root below a deployment's base URL."""
        servers = self.document.get("servers") or [{}]
        return urlsplit(str(servers[0].get("url", ""))).path.rstrip("/")

    @property
    def scopes(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for operation in self.operations:
            seen.update(dict.fromkeys(operation.scopes))
        return tuple(seen)

    def operation(self, operation_id: str) -> TargetOperation | None:
        return next((op for op in self.operations if op.operation_id == operation_id), None)


def _operations(document: dict[str, Any]) -> tuple[TargetOperation, ...]:
    found = []
    for walked in iter_operations(document):
        if walked.method not in TESTED_METHODS:
            continue
        op = walked.node
        scopes: list[str] = []
        security = op.get("security", document.get("security"))
        for requirement in security or []:
            for values in requirement.values():
                scopes.extend(values)
        found.append(
            TargetOperation(
                operation_id=str(op.get("operationId", walked.label)),
                method=walked.method.upper(),
                path=walked.path,
                scopes=tuple(scopes),
                parameters=tuple(str(p["name"]) for p in walked.parameters(document)),
                public=security == [],
                ends_consent=op.get("x-ends-consent") is True,
            )
        )
    return tuple(found)


def load_api(path: Path) -> ApiSpec:
    """Load and bundle one spec; a broken spec is a CannotRun with the loader's one-line message."""
    try:
        loaded = load_spec(path)
    except SpecError as error:
        raise CannotRun(f"cannot load the spec: {error}") from None
    return ApiSpec(name=path.stem, document=loaded.document, operations=_operations(loaded.document))


def api_root(base_url: str, api: ApiSpec) -> str:
    """`base_url` plus the spec's server path unless the URL already ends with it."""
    base = base_url.rstrip("/")
    suffix = api.server_path
    if suffix and not base.endswith(suffix):
        return base + suffix
    return base
