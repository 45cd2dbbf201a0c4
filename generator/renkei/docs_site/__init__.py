"""`renkei docs`: the standard as a static, offline HTML reference (the 電文仕様書 view).

Per operation: the request and response items (項目名 / field / type / 必須 / 桁数・形式 / 説明), error codes,
scopes, examples and links; per component schema its items and where it is used; an index page per API,
a top page, and a client-side search over `search-index.json`. No CDN, no network: every asset is written
beside the pages. Reads bundled documents through `renkei.loading` only.

    from renkei.docs_site import build_site
    pages = build_site([load_spec(Path("spec/bank-inquiry.yaml"))])  # {relative path: text}
"""

from renkei.docs_site.site import build_site

__all__ = ["build_site"]
