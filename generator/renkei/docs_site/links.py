"""Where each page of the site is, and relative links between them (the site works from any directory,
opened as files or served)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_SAFE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")
_KEPT = 80

TOP_PAGE = "index.html"
SEARCH_INDEX_JSON = "search-index.json"
SEARCH_INDEX_SCRIPT = "search-index.js"
ASSETS = "assets"


def file_name(name: str) -> str:
    """`name` itself when it is a short, plain file name; else its first characters (outside
    [A-Za-z0-9._-] as `_`) and a hash of the whole name, so that no two names share a file and none is
    too long for a file system."""
    if _SAFE.match(name):
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    return f"{_UNSAFE.sub('_', name)[:_KEPT]}-{digest}"


def api_page(slug: str) -> str:
    return f"{slug}/index.html"


def operation_page(slug: str, page_id: str) -> str:
    return f"{slug}/operations/{file_name(page_id)}.html"


def schema_page(slug: str, name: str) -> str:
    return f"{slug}/schemas/{file_name(name)}.html"


def document_file(slug: str) -> str:
    return f"{slug}/openapi.json"


def asset(name: str) -> str:
    return f"{ASSETS}/{name}"


@dataclass(frozen=True)
class Links:
    """Links from the page at `page` (a path relative to the site's root) to the others."""

    page: str
    slug: str = ""
    console: str | None = None
    """The interactive console's address relative to the site's root, `{api}` for the API's slug."""

    @property
    def root(self) -> str:
        return "../" * self.page.count("/")

    def to(self, path: str) -> str:
        return self.root + path

    def top(self) -> str:
        return self.to(TOP_PAGE)

    def api(self, slug: str | None = None) -> str:
        return self.to(api_page(slug or self.slug))

    def operation(self, page_id: str) -> str:
        return self.to(operation_page(self.slug, page_id))

    def schema(self, name: str) -> str:
        return self.to(schema_page(self.slug, name))

    def document(self, slug: str | None = None) -> str:
        return self.to(document_file(slug or self.slug))

    def asset(self, name: str) -> str:
        return self.to(asset(name))

    def try_it(self, tag: str, operation_id: str) -> str | None:
        """The console's deep link to the operation (Swagger UI: `#/<tag>/<operationId>`)."""
        if self.console is None or not operation_id:
            return None
        return self.to(self.console.replace("{api}", self.slug)) + f"#/{tag}/{operation_id}"
