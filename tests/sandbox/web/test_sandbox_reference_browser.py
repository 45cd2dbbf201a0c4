"""The reference and the console in a real browser (headless Chromium): the pages render with their
Japanese item names, search finds an operation (served, and opened from files), and "try it" in the
console calls the running sandbox with a real access token. No request leaves the sandbox's origin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from sandbox_flow import tokens_for
from sandbox_harness import RunningSandbox

from renkei_sandbox.docs.documents import REFERENCE_DIR

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _page(browser: Any, allowed: tuple[str, ...]) -> tuple[Any, list[str]]:
    """A page that records (and blocks) every request outside `allowed` prefixes, and console errors."""
    page = browser.new_page()
    page.set_default_timeout(20_000)
    outside: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith(allowed):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    return page, outside


def test_the_reference_renders_and_search_finds_an_operation(sandbox: RunningSandbox, browser: Any) -> None:
    page, outside = _page(browser, (sandbox.base_url,))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{sandbox.base_url}/docs/")
    assert page.title().startswith("API 一覧")
    assert page.locator("table.index tbody tr").count() == 3

    page.fill("#search", "残高照会")
    first = page.locator("#search-results li a").first
    first.wait_for()
    assert "Get the balance (残高照会)" in first.inner_text()
    first.click()
    page.wait_for_url("**/docs/bank-inquiry/operations/getBalance.html")
    table = page.locator("table.fields").last
    assert "支払可能残高" in table.inner_text() and "現在残高" in table.inner_text()
    withdrawable = page.locator("#res200-f-withdrawableAmount")
    assert withdrawable.locator("td.jp").inner_text() == "支払可能残高"
    assert withdrawable.locator("td.req").inner_text() == "○"
    assert "jpy-amount" in withdrawable.locator("td.fmt").inner_text()

    page.keyboard.press("/")  # focuses the search box; the arrow keys walk the results, Enter follows one
    page.keyboard.type("振込依頼")
    page.locator("#search-results li a").nth(1).wait_for()
    second = urljoin(page.url, page.locator("#search-results li a").nth(1).get_attribute("href"))
    assert second.startswith(f"{sandbox.base_url}/docs/") and ".." not in second  # 振込依頼人名 (inquiry) too
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(second)

    page.fill("#search", "被仕向支店番号")  # an item's Japanese name finds its schema row
    hit = page.locator("#search-results li a[data-kind=field]").first
    hit.wait_for()
    hit.click()
    page.wait_for_url("**/docs/bank-transfer/schemas/*.html#f-*")
    assert page.locator("h1").inner_text()

    page.fill("#search", "同意期限切れ")  # a catalogued error code by its Japanese name
    code = page.locator("#search-results li a[data-kind=error]").first
    code.wait_for()
    assert "consent_expired" in code.inner_text()
    code.click()
    page.wait_for_url("**/index.html#error-code-consent_expired")
    assert "401" in page.locator("#error-code-consent_expired").inner_text()
    assert not errors and not outside, (errors, outside)


def test_search_works_from_files_without_a_server(browser: Any) -> None:
    root = REFERENCE_DIR.as_uri()
    page, outside = _page(browser, (root,))
    page.goto(f"{root}/card/index.html")
    assert "カード" in page.locator("h1").inner_text()
    page.fill("#search", "listCardTransactions")
    first = page.locator("#search-results li a").first
    first.wait_for()
    first.click()
    page.wait_for_url("**/card/operations/listCardTransactions.html")
    assert page.locator("table.fields").count() >= 1
    assert not outside, outside


def test_try_it_in_the_console_calls_the_sandbox(sandbox: RunningSandbox, browser: Any) -> None:
    token = tokens_for(sandbox, "demo01")["access_token"]
    page, outside = _page(browser, (sandbox.base_url,))
    page.goto(f"{sandbox.base_url}/docs/bank-inquiry/operations/listAccounts.html")
    page.click("a.try-it")
    page.wait_for_url("**/docs/console/bank-inquiry#/accounts/listAccounts")
    page.fill("#access-token", token)
    operation = page.locator("#operations-accounts-listAccounts")
    operation.wait_for()
    if not operation.locator(".opblock-body").count():
        operation.locator(".opblock-summary").first.click()
    bank_code = operation.locator("tr[data-param-name='bankCode'] input")
    bank_code.fill("2963")
    with page.expect_response(lambda response: "/v2/banks/2963/accounts" in response.url) as answered:
        operation.locator("button.execute").click()
    assert answered.value.status == 200
    assert answered.value.request.headers["authorization"] == f"Bearer {token}"
    shown = operation.locator(".live-responses-table tr.response td.response-col_status").first
    shown.wait_for()
    assert shown.inner_text().strip() == "200"
    assert "accountId" in operation.locator(".live-responses-table .highlight-code").first.inner_text()
    assert not outside, outside
