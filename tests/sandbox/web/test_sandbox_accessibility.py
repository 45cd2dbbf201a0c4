"""WCAG 2.1 AA on every page a customer or newcomer sees, checked by axe-core in Chromium; and the whole
consent path done with the keyboard alone (Tab, Space, Enter), with a visible focus indicator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sandbox_browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium
from sandbox_flow import ALL_BANK_SCOPES, ALL_CARD_SCOPES, authorize_url, login_and_consent, pkce_pair
from sandbox_harness import REDIRECT_URI, RunningSandbox

from renkei_sandbox.seed.seeder import DEMO_PASSWORD

AXE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # The pages' CSP (script-src 'self') would refuse the injected axe script: bypassed in the test only.
    context = browser.new_context(bypass_csp=True, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(20_000)
    # The client's redirect URI is not served: the browser gets a stand-in page there.
    page.route(
        f"{REDIRECT_URI}**", lambda route: route.fulfill(status=200, body="client", content_type="text/plain")
    )
    yield page
    context.close()


def violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations of the current page, one line each (rule, impact, nodes)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
    ]


def assert_accessible(page: Any, name: str) -> None:
    found = violations(page)
    assert not found, f"{name}: " + "\n".join(found)


def test_axe_passes_every_page(sandbox: RunningSandbox, page: Any) -> None:
    base = sandbox.base_url
    page.goto(f"{base}/")
    assert_accessible(page, "landing")

    page.goto(f"{base}/login")
    assert page.locator("select#bank_code option[disabled][selected]").count() == 1  # a placeholder first
    assert_accessible(page, "login")
    page.select_option("#bank_code", "2963")
    page.fill("#login_id", "demo01")
    page.fill("#password", "wrong")
    page.click("#login")
    page.wait_for_selector("#login-error")
    assert page.input_value("#login_id") == "demo01"  # a failed login keeps the login id and bank
    assert page.input_value("#bank_code") == "2963"
    assert_accessible(page, "login with an error")

    _, challenge = pkce_pair()
    page.goto(authorize_url(sandbox, f"{ALL_BANK_SCOPES} {ALL_CARD_SCOPES}", challenge, "s", None))
    page.select_option("#bank_code", "2963")
    page.fill("#login_id", "demo01")
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login")
    page.wait_for_selector("#approve")
    assert_accessible(page, "consent")
    page.click("#approve")
    page.wait_for_selector("#consent-error")
    assert_accessible(page, "consent with an error")

    login_and_consent(sandbox, "demo01", "2963")  # a grant to show (in its own cookie jar)
    page.goto(f"{base}/account/connections")
    assert_accessible(page, "connections")
    page.locator("section.connection a.button").first.click()
    page.wait_for_selector("#confirm-revoke")
    assert_accessible(page, "revoke confirmation")
    page.click("#confirm-revoke")
    page.wait_for_selector("#revoked-notice")
    assert_accessible(page, "connections after revoking")

    for path in ("/account/no-such-page", "/consent?request=unknown", "/no-such-page"):
        response = page.goto(f"{base}{path}")
        assert response.status in (400, 404) and response.headers["content-type"].startswith("text/html")
        assert_accessible(page, f"error page {path}")


def tab_to(page: Any, selector: str, presses: int = 40) -> None:
    """Press Tab until the element matching `selector` has the focus (fails if it never gets it), then
    check that the focus is visible (an outline of the :focus-visible rule)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline not in ("", "none"), f"{selector} has the focus but no visible focus indicator"
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_keyboard_only_login_consent_and_revoke(sandbox: RunningSandbox, page: Any) -> None:
    _, challenge = pkce_pair()
    page.goto(authorize_url(sandbox, ALL_BANK_SCOPES, challenge, "keyboard", None))
    tab_to(page, "#bank_code")
    page.keyboard.press("ArrowDown")  # the first bank after the placeholder: 2951
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    assert page.input_value("#bank_code") == "2963"
    tab_to(page, "#login_id")
    page.keyboard.type("demo01")
    tab_to(page, "#password")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#approve")

    values = [box.get_attribute("value") for box in page.locator("input[name=account_ids]").all()]
    assert values
    for value in values:
        tab_to(page, f'input[name=account_ids][value="{value}"]')
        page.keyboard.press("Space")
    assert all(box.is_checked() for box in page.locator("input[name=account_ids]").all())
    tab_to(page, "#approve")
    with page.expect_request(lambda request: request.url.startswith(REDIRECT_URI)):
        page.keyboard.press("Enter")

    page = page.context.new_page()  # same cookies; the first tab is left on the aborted redirect
    page.goto(f"{sandbox.base_url}/account/connections")
    tab_to(page, "section.connection a.button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#confirm-revoke")
    tab_to(page, "#confirm-revoke")
    page.keyboard.press("Enter")
    page.wait_for_selector("#revoked-notice")
