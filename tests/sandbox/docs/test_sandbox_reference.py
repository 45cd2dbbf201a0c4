"""The reference, the documents and the console over HTTP: /docs, /<api>/openapi.json, /openapi.json,
/docs/console/<api> and Swagger UI's files, all from this origin."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from sandbox_harness import RunningSandbox

from renkei_sandbox.docs.documents import APIS, REFERENCE_DIR, bundled_document

REPO = Path(__file__).resolve().parents[3]


def test_docs_serves_the_reference(sandbox: RunningSandbox) -> None:
    moved = httpx.get(f"{sandbox.base_url}/docs")
    assert moved.status_code == 308 and moved.headers["location"] == "/docs/"
    top = httpx.get(f"{sandbox.base_url}/docs/")
    assert top.status_code == 200 and top.headers["content-type"].startswith("text/html")
    assert "renkei 電文仕様書" in top.text
    page = httpx.get(f"{sandbox.base_url}/docs/bank-inquiry/operations/listAccounts.html")
    assert page.status_code == 200 and "口座ID" in page.text
    assert 'href="../../console/bank-inquiry#/accounts/listAccounts"' in page.text
    index = httpx.get(f"{sandbox.base_url}/docs/search-index.json")
    assert index.status_code == 200 and index.json()["entries"]
    assert httpx.get(f"{sandbox.base_url}/docs/bank-inquiry/operations/nothing.html").status_code == 404


def test_each_api_has_its_bundled_document_with_this_sandbox_first(sandbox: RunningSandbox) -> None:
    for api in APIS:
        response = httpx.get(f"{sandbox.base_url}/{api.slug}/openapi.json")
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
        served = response.json()
        bundled = bundled_document(api.slug)
        own = f"{sandbox.base_url}/v2"
        assert served["servers"][0]["url"] == own
        assert served["servers"][1:] == [s for s in bundled["servers"] if s["url"] != own]
        assert {k: v for k, v in served.items() if k != "servers"} == {
            k: v for k, v in bundled.items() if k != "servers"
        }
    listing = httpx.get(f"{sandbox.base_url}/openapi.json").json()["documents"]
    assert [entry["openapi"] for entry in listing] == [f"/{api.slug}/openapi.json" for api in APIS]
    assert listing[0]["console"] == "/docs/console/bank-inquiry" and listing[0]["version"] == "2.0.0"


def test_the_reference_is_built_from_the_documents_the_sandbox_serves() -> None:
    """`make generate` writes both; a reference of other documents would describe another API."""
    for api in APIS:
        site_copy = json.loads((REFERENCE_DIR / api.slug / "openapi.json").read_text(encoding="utf-8"))
        assert site_copy == bundled_document(api.slug), api.slug
    assert sorted(path.name for path in REFERENCE_DIR.iterdir() if path.is_dir()) == sorted(
        ["assets", "onboarding", *(api.slug for api in APIS)]
    )  # onboarding: the API接続チェックリスト and 契約条文例 pages (spec/onboarding)


def test_the_console_page_and_swagger_ui_come_from_this_origin(sandbox: RunningSandbox) -> None:
    page = httpx.get(f"{sandbox.base_url}/docs/console/card")
    assert page.status_code == 200
    assert 'data-openapi="/card/openapi.json"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in "".join(line for line in page.text.splitlines() if "src=" in line)
    bundle = httpx.get(f"{sandbox.base_url}/docs/console/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text[:5000] + bundle.text[-5000:]
    assert httpx.get(f"{sandbox.base_url}/docs/console/assets/swagger-ui.css").status_code == 200
    assert httpx.get(f"{sandbox.base_url}/static/console.js").status_code == 200
    assert httpx.get(f"{sandbox.base_url}/docs/console/nothing").status_code == 404
