"""The APIs under test: bundled documents, their operations, scopes and the server path (`/v1`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from renkei.conformance.errors import CannotRun
from renkei.loading.errors import SpecError
from renkei.loading.spec import load_spec

HTTP_METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    scopes: tuple[str, ...]
    parameters: tuple[str, ...]
    """Names of the operation's parameters (path, query and header)."""


@dataclass(frozen=True)
class ApiSpec:
    name: str
    """The document's file stem, e.g. `bank-inquiry`."""
    document: dict[str, Any]
    operations: tuple[Operation, ...]

    @property
    def server_path(self) -> str:
        """The path of the first server URL (`/v1`): the API root below a deployment's base URL."""
        servers = self.document.get("servers") or [{}]
        return urlsplit(str(servers[0].get("url", ""))).path.rstrip("/")

    @property
    def scopes(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for operation in self.operations:
            seen.update(dict.fromkeys(operation.scopes))
        return tuple(seen)

    def operation(self, operation_id: str) -> Operation | None:
        return next((op for op in self.operations if op.operation_id == operation_id), None)


def _parameter_names(document: dict[str, Any], raw: list[Any]) -> tuple[str, ...]:
    names = []
    for item in raw:
        if isinstance(item, dict) and "$ref" in item:
            node: Any = document
            for token in str(item["$ref"]).lstrip("#/").split("/"):
                node = node.get(token, {}) if isinstance(node, dict) else {}
            item = node
        if isinstance(item, dict) and "name" in item:
            names.append(str(item["name"]))
    return tuple(names)


def _operations(document: dict[str, Any]) -> tuple[Operation, ...]:
    found = []
    for path, item in (document.get("paths") or {}).items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            scopes: list[str] = []
            for requirement in op.get("security", document.get("security", [])) or []:
                for values in requirement.values():
                    scopes.extend(values)
            found.append(
                Operation(
                    operation_id=str(op.get("operationId", f"{method.upper()} {path}")),
                    method=method.upper(),
                    path=str(path),
                    scopes=tuple(scopes),
                    parameters=_parameter_names(document, [*shared, *op.get("parameters", [])]),
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
