"""One API (one bundled document) as the reference shows it: operations by tag, schemas, security."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from renkei.docs_site.constraints import Constraint, EnumValue, constraints, enum_values, example_text
from renkei.docs_site.error_codes import ErrorCode, catalogue
from renkei.docs_site.examples import Example, media_examples
from renkei.docs_site.fields import FieldRow, schema_rows
from renkei.docs_site.operations import (
    OperationView,
    Scope,
    SecurityScheme,
    operation_view,
    scope_descriptions,
)
from renkei.docs_site.schemas import SCHEMAS_POINTER, composition, type_names
from renkei.docs_site.usage import closure, direct_schemas
from renkei.loading import LoadedSpec
from renkei.loading.walk import get, iter_operations


@dataclass(frozen=True)
class SchemaView:
    """A component schema's page: its items (flattened) or its constraints, and where it is used."""

    name: str
    jp_name: str
    description: str
    type_text: str
    constraints: tuple[Constraint, ...]
    enum: tuple[EnumValue, ...]
    rows: tuple[FieldRow, ...]
    examples: tuple[Example, ...]
    example: str | None
    """A scalar example (a string, number or boolean schema's)."""
    used_by_operations: tuple[str, ...]
    """Page ids of the operations whose request or response contains it."""
    used_by_schemas: tuple[str, ...]
    """Schemas that name it directly."""


@dataclass(frozen=True)
class TagView:
    name: str
    description: str
    operations: tuple[OperationView, ...]


@dataclass(frozen=True)
class ApiView:
    slug: str
    title: str
    version: str
    summary: str
    description: str
    openapi: str
    servers: tuple[tuple[str, str], ...]
    operations: tuple[OperationView, ...]
    tags: tuple[TagView, ...]
    schemas: tuple[SchemaView, ...]
    security_schemes: tuple[SecurityScheme, ...]
    error_codes: tuple[ErrorCode, ...]
    """The document's error-code catalogue (`x-error-codes`)."""
    document: Mapping[str, Any]

    def error_codes_for(self, status: str) -> tuple[ErrorCode, ...]:
        """The catalogued codes of HTTP status `status`."""
        return tuple(code for code in self.error_codes if code.status == status)

    def operation_page(self, operation_id: str) -> str | None:
        """The page id of the operation with `operation_id` (None when the document has none)."""
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation.page_id
        return None

    def has_schema(self, name: str) -> bool:
        return any(schema.name == name for schema in self.schemas)


def api_slug(path: Path) -> str:
    """The API's directory in the site: the file's stem (`bank-inquiry`), or the directory's name for a
    bundled `openapi.json` (`renkei_bank_inquiry/openapi.json` -> `renkei-bank-inquiry`)."""
    stem = path.stem if path.stem.lower() != "openapi" else path.resolve().parent.name
    return stem.replace("_", "-").lower() or "api"


def api_view(loaded: LoadedSpec, slug: str) -> ApiView:
    document = loaded.document
    info = document.get("info")
    info = info if isinstance(info, Mapping) else {}
    taken: set[str] = set()
    operations = tuple(operation_view(slug, document, node, taken) for node in iter_operations(document))
    schemas_node = get(document, SCHEMAS_POINTER)
    schema_names = [str(name) for name in schemas_node] if isinstance(schemas_node, Mapping) else []
    direct = {name: direct_schemas(document, schemas_node[name]) - {name} for name in schema_names}
    used_by_operation = {
        operation.page_id: closure(direct, direct_schemas(document, node.node))
        for operation, node in zip(operations, iter_operations(document), strict=True)
    }
    schemas = tuple(
        _schema_view(document, name, schemas_node[name], operations, used_by_operation, direct)
        for name in schema_names
    )
    return ApiView(
        slug=slug,
        title=str(info.get("title", slug)),
        version=str(info.get("version", "")),
        summary=str(info.get("summary", "")),
        description=str(info.get("description", "")),
        openapi=str(document.get("openapi", "")),
        servers=_servers(document.get("servers")),
        operations=operations,
        tags=_tags(document.get("tags"), operations),
        schemas=schemas,
        security_schemes=_security_schemes(document),
        error_codes=catalogue(document),
        document=document,
    )


def _schema_view(
    document: Mapping[str, Any],
    name: str,
    node: Any,
    operations: tuple[OperationView, ...],
    used_by_operation: Mapping[str, set[str]],
    direct: Mapping[str, set[str]],
) -> SchemaView:
    schema: Mapping[str, Any] = node if isinstance(node, Mapping) else {}
    rows = tuple(schema_rows(document, name))
    is_object = bool(rows) and rows[0].path != "body"
    choice = composition(schema)
    types = type_names(schema)
    type_text = " | ".join(types) if types else (choice[0] if choice else "any")
    return SchemaView(
        name=name,
        jp_name=str(schema.get("x-jp-name", "")),
        description=str(schema.get("description", "")),
        type_text=type_text,
        constraints=constraints(schema),
        enum=enum_values(schema),
        rows=rows if is_object else (),
        examples=media_examples(document, {"schema": node}),
        example=example_text(schema),
        used_by_operations=tuple(
            operation.page_id for operation in operations if name in used_by_operation[operation.page_id]
        ),
        used_by_schemas=tuple(other for other, names in direct.items() if name in names),
    )


def _servers(servers: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(servers, list):
        return ()
    return tuple(
        (str(server.get("url", "")), str(server.get("description", "")))
        for server in servers
        if isinstance(server, Mapping)
    )


def _tags(tags: Any, operations: tuple[OperationView, ...]) -> tuple[TagView, ...]:
    """The document's tags in order, then tags only operations name, then the untagged operations."""
    described = {
        str(tag["name"]): str(tag.get("description", ""))
        for tag in (tags if isinstance(tags, list) else ())
        if isinstance(tag, Mapping) and "name" in tag
    }
    names = list(described)
    for operation in operations:
        names += [tag for tag in operation.tags if tag not in names]
    views = [
        TagView(name, described.get(name, ""), tuple(op for op in operations if name in op.tags))
        for name in names
    ]
    untagged = tuple(operation for operation in operations if not operation.tags)
    if untagged:
        views.append(TagView("default", "", untagged))
    return tuple(view for view in views if view.operations)


def _security_schemes(document: Mapping[str, Any]) -> tuple[SecurityScheme, ...]:
    schemes = get(document, ("components", "securitySchemes"))
    if not isinstance(schemes, Mapping):
        return ()
    views = []
    for name, scheme in schemes.items():
        if not isinstance(scheme, Mapping):
            continue
        scopes = scope_descriptions(scheme)
        views.append(
            SecurityScheme(
                name=str(name),
                type=str(scheme.get("type", "")),
                description=str(scheme.get("description", "")),
                scopes=tuple(Scope(scope, description) for scope, description in scopes.items()),
            )
        )
    return tuple(views)
