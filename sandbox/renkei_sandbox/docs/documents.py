"""The bundled OpenAPI documents of the three APIs, as the generated packages carry them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from renkei_sandbox.api.mounting import API_PREFIX
from renkei_sandbox.docs.location import REFERENCE_DIR as REFERENCE_DIR  # re-exported


@dataclass(frozen=True)
class ApiDocument:
    """`slug` names the API in URLs (as `renkei docs` names its directory); `package` carries the document."""

    slug: str
    package: str


APIS = (
    ApiDocument("bank-inquiry", "renkei_bank_inquiry"),
    ApiDocument("bank-transfer", "renkei_bank_transfer"),
    ApiDocument("card", "renkei_card"),
)
SLUGS = {api.slug: api for api in APIS}


@cache
def bundled_document(slug: str) -> dict[str, Any]:
    """The document exactly as the generated package carries it (parsed once per process)."""
    text = (files(SLUGS[slug].package) / "openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def served_document(slug: str, base_url: str) -> dict[str, Any]:
    """The bundled document with this sandbox (`base_url` + /v2) as its first server, so that a console or
    a client pointed at it calls the sandbox that served it; the document's own servers follow."""
    document = dict(bundled_document(slug))
    own = {"url": base_url.rstrip("/") + API_PREFIX, "description": "このサンドボックス (this sandbox)"}
    listed = document.get("servers")
    listed = listed if isinstance(listed, list) else []
    others = [server for server in listed if server.get("url") != own["url"]]
    document["servers"] = [own, *others]
    return document


def document_index() -> dict[str, Any]:
    """What /openapi.json answers: where each API's document, reference and console are."""
    entries = []
    for api in APIS:
        info = bundled_document(api.slug).get("info", {})
        entries.append(
            {
                "api": api.slug,
                "title": info.get("title", api.slug),
                "version": info.get("version", ""),
                "openapi": f"/{api.slug}/openapi.json",
                "reference": f"/docs/{api.slug}/",
                "console": f"/docs/console/{api.slug}",
            }
        )
    return {"documents": entries}
