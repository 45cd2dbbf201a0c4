"""One operation as its reference page shows it: request items, responses, error codes, scopes, links."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from renkei.docs_site.examples import Example, error_codes, media_examples
from renkei.docs_site.fields import FieldRow, body_rows, field_row
from renkei.docs_site.schemas import resolve_schema
from renkei.loading.walk import OperationNode, deref

_PAGE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}$")
_PARAMETER_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3}


@dataclass(frozen=True)
class Body:
    """A request or response body of one media type."""

    media_type: str
    schema_link: str | None
    rows: tuple[FieldRow, ...]
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class LinkView:
    """An OpenAPI link: the operation a response leads to."""

    name: str
    operation_id: str
    description: str
    parameters: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ResponseView:
    status: str
    description: str
    headers: tuple[FieldRow, ...]
    bodies: tuple[Body, ...]
    links: tuple[LinkView, ...]

    @property
    def is_error(self) -> bool:
        return self.status == "default" or self.status[:1] in ("4", "5")

    @property
    def error_codes(self) -> tuple[str, ...]:
        return error_codes(tuple(example for body in self.bodies for example in body.examples))


@dataclass(frozen=True)
class Scope:
    name: str
    description: str


@dataclass(frozen=True)
class SecurityScheme:
    """A scheme of a requirement: its name, type, description and the scopes the operation asks for."""

    name: str
    type: str
    description: str
    scopes: tuple[Scope, ...]


@dataclass(frozen=True)
class OperationView:
    api: str
    page_id: str
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    deprecated: bool
    security: tuple[tuple[SecurityScheme, ...], ...]
    """Alternatives (any one suffices), each a set of schemes required together; `((),)` is public."""
    parameters: tuple[FieldRow, ...]
    request_description: str
    request_required: bool
    request: tuple[Body, ...]
    responses: tuple[ResponseView, ...]

    @property
    def title(self) -> str:
        return self.summary or self.operation_id or f"{self.method.upper()} {self.path}"

    @property
    def successes(self) -> tuple[ResponseView, ...]:
        return tuple(response for response in self.responses if not response.is_error)

    @property
    def errors(self) -> tuple[ResponseView, ...]:
        return tuple(response for response in self.responses if response.is_error)


def operation_view(
    api: str, document: Mapping[str, Any], operation: OperationNode, taken: set[str]
) -> OperationView:
    """The view of `operation`; its page id (its operationId when usable) is added to `taken`."""
    node = operation.node
    operation_id = str(node.get("operationId", ""))
    page_id = _page_id(operation_id, operation.method, operation.path, taken)
    taken.add(page_id)
    request = deref(document, node.get("requestBody"))
    request = request if isinstance(request, Mapping) else {}
    tags = node.get("tags")
    return OperationView(
        api=api,
        page_id=page_id,
        operation_id=operation_id,
        method=operation.method,
        path=operation.path,
        summary=str(node.get("summary", "")),
        description=str(node.get("description", "")),
        tags=tuple(str(tag) for tag in tags) if isinstance(tags, list) else (),
        deprecated=node.get("deprecated") is True,
        security=_security(document, node.get("security", document.get("security"))),
        parameters=_parameters(document, operation),
        request_description=str(request.get("description", "")),
        request_required=request.get("required") is True,
        request=_bodies(document, request.get("content")),
        responses=_responses(document, node.get("responses")),
    )


def _page_id(operation_id: str, method: str, path: str, taken: set[str]) -> str:
    if _PAGE_ID.match(operation_id):
        base = operation_id
    else:
        base = method + "-" + re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
    page_id, number = base, 2
    while page_id.lower() in {name.lower() for name in taken}:  # case-insensitive file systems
        page_id, number = f"{base}-{number}", number + 1
    return page_id


def _parameters(document: Mapping[str, Any], operation: OperationNode) -> tuple[FieldRow, ...]:
    rows = []
    for parameter in operation.parameters(document):
        schema: Any = parameter.get("schema")
        content = parameter.get("content")
        if schema is None and isinstance(content, Mapping) and content:
            media = next(iter(content.values()))
            schema = media.get("schema") if isinstance(media, Mapping) else None
        row = field_row(
            document,
            schema,
            name=str(parameter["name"]),
            path=f"{parameter['in']}.{parameter['name']}",
            depth=0,
            required=parameter.get("required") is True,
            location=str(parameter["in"]),
            description=str(parameter["description"]) if "description" in parameter else None,
            jp_name=str(parameter.get("x-jp-name", "")) or None,
            deprecated=parameter.get("deprecated") is True,
        )
        if "example" in parameter and not isinstance(parameter["example"], dict | list):
            example = parameter["example"]
            row = replace(row, example=example if isinstance(example, str) else json.dumps(example))
        rows.append(row)
    rows.sort(key=lambda row: _PARAMETER_ORDER.get(row.location, 9))
    return tuple(rows)


def _bodies(document: Mapping[str, Any], content: Any) -> tuple[Body, ...]:
    if not isinstance(content, Mapping):
        return ()
    bodies = []
    for media_type, media in content.items():
        if not isinstance(media, Mapping):
            continue
        schema = media.get("schema")
        rows = tuple(body_rows(document, schema)) if schema is not None else ()
        link = resolve_schema(document, schema).name if schema is not None else None
        bodies.append(Body(str(media_type), link, rows, media_examples(document, media)))
    return tuple(bodies)


def _responses(document: Mapping[str, Any], responses: Any) -> tuple[ResponseView, ...]:
    if not isinstance(responses, Mapping):
        return ()
    views = []
    for status, node in responses.items():
        response = deref(document, node)
        if not isinstance(response, Mapping):
            continue
        views.append(
            ResponseView(
                status=str(status),
                description=str(response.get("description", "")),
                headers=_headers(document, response.get("headers")),
                bodies=_bodies(document, response.get("content")),
                links=_links(document, response.get("links")),
            )
        )
    return tuple(views)


def _headers(document: Mapping[str, Any], headers: Any) -> tuple[FieldRow, ...]:
    if not isinstance(headers, Mapping):
        return ()
    rows = []
    for name, node in headers.items():
        header = deref(document, node)
        if not isinstance(header, Mapping):
            continue
        rows.append(
            field_row(
                document,
                header.get("schema"),
                name=str(name),
                path=f"header.{name}",
                depth=0,
                required=header.get("required") is True,
                location="header",
                description=str(header["description"]) if "description" in header else None,
                jp_name=str(header.get("x-jp-name", "")) or None,
            )
        )
    return tuple(rows)


def _links(document: Mapping[str, Any], links: Any) -> tuple[LinkView, ...]:
    if not isinstance(links, Mapping):
        return ()
    views = []
    for name, node in links.items():
        link = deref(document, node)
        if not isinstance(link, Mapping):
            continue
        parameters = link.get("parameters")
        pairs = (
            tuple((str(k), str(v)) for k, v in parameters.items()) if isinstance(parameters, Mapping) else ()
        )
        target = str(link.get("operationId") or link.get("operationRef") or "")
        views.append(LinkView(str(name), target, str(link.get("description", "")), pairs))
    return tuple(views)


def _security(document: Mapping[str, Any], requirements: Any) -> tuple[tuple[SecurityScheme, ...], ...]:
    if not isinstance(requirements, list):
        return ()
    schemes = document.get("components", {}).get("securitySchemes", {})
    alternatives = []
    for requirement in requirements:
        if not isinstance(requirement, Mapping):
            continue
        together = []
        for name, scopes in requirement.items():
            scheme = deref(document, schemes.get(name)) if isinstance(schemes, Mapping) else None
            scheme = scheme if isinstance(scheme, Mapping) else {}
            known = scope_descriptions(scheme)
            listed = scopes if isinstance(scopes, list) else []
            together.append(
                SecurityScheme(
                    name=str(name),
                    type=str(scheme.get("type", "")),
                    description=str(scheme.get("description", "")),
                    scopes=tuple(Scope(str(scope), known.get(str(scope), "")) for scope in listed),
                )
            )
        alternatives.append(tuple(together))
    return tuple(alternatives)


def scope_descriptions(scheme: Mapping[str, Any]) -> dict[str, str]:
    """Scope -> description over every flow of an oauth2 scheme."""
    found: dict[str, str] = {}
    flows = scheme.get("flows")
    for flow in flows.values() if isinstance(flows, Mapping) else ():
        scopes = flow.get("scopes") if isinstance(flow, Mapping) else None
        if isinstance(scopes, Mapping):
            for scope, description in scopes.items():
                found.setdefault(str(scope), str(description))
    return found
