"""The search index: one entry per API, operation, schema and schema item, read by assets/search.js.

Written twice with the same entries: `search-index.json` for tools and served sites, and
`search-index.js` (the same JSON assigned to a global) because browsers do not let a page opened from a
file fetch a file beside it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from renkei.docs_site.api import ApiView
from renkei.docs_site.links import api_page, operation_page, schema_page
from renkei.docs_site.text import first_sentence

INDEX_VERSION = 1


@dataclass(frozen=True)
class Entry:
    """`kind` is api / operation / schema / field / error (a catalogued error code); `url` is relative to
    the site's root; `terms` are the further words it is found by (operationId, path, scopes, item names
    in Japanese and English)."""

    kind: str
    api: str
    title: str
    subtitle: str
    url: str
    terms: str


def entries(apis: list[ApiView]) -> list[Entry]:
    found: list[Entry] = []
    for api in apis:
        found.append(
            Entry("api", api.slug, api.title, first_sentence(api.summary), api_page(api.slug), api.slug)
        )
        for operation in api.operations:
            items = [row for body in operation.request for row in body.rows] + list(operation.parameters)
            items += [
                row for response in operation.successes for body in response.bodies for row in body.rows
            ]
            scopes = [
                scope.name for requirement in operation.security for s in requirement for scope in s.scopes
            ]
            terms = [
                operation.operation_id,
                operation.method.upper(),
                operation.path,
                *operation.tags,
                *scopes,
            ]
            terms += sorted({row.jp_name for row in items if row.jp_name} | {row.name for row in items})
            found.append(
                Entry(
                    "operation",
                    api.slug,
                    operation.title,
                    f"{operation.method.upper()} {operation.path}",
                    operation_page(api.slug, operation.page_id),
                    " ".join(terms),
                )
            )
        for code in api.error_codes:
            url = f"{api_page(api.slug)}#{code.anchor}"
            title = f"{code.code} ({code.jp_name})" if code.jp_name else code.code
            found.append(
                Entry("error", api.slug, title, f"HTTP {code.status}", url, first_sentence(code.description))
            )
        for schema in api.schemas:
            page = schema_page(api.slug, schema.name)
            names = sorted({row.jp_name for row in schema.rows if row.jp_name})
            found.append(Entry("schema", api.slug, schema.name, schema.jp_name, page, " ".join(names)))
            for row in schema.rows:
                title = f"{row.jp_name} ({row.path})" if row.jp_name else row.path
                found.append(Entry("field", api.slug, title, schema.name, f"{page}#{row.anchor}", row.name))
    return found


def index_json(apis: list[ApiView]) -> str:
    payload = {"version": INDEX_VERSION, "entries": [asdict(entry) for entry in entries(apis)]}
    return json.dumps(payload, ensure_ascii=False, indent=None, separators=(",", ":")) + "\n"


def index_script(index: str) -> str:
    return f"window.renkeiSearchIndex = {index.strip()};\n"
