"""Chromium (Debian's /usr/bin/chromium, never a downloaded one) driven by Playwright for page tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from renkei_sandbox.seed.seeder import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
)


@contextmanager
def chromium_page() -> Iterator[Any]:
    """A fresh page in a headless Chromium (closed afterwards)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)
            yield page
        finally:
            browser.close()


def log_in(page: Any, login_id: str, bank_code: str | None = None, password: str = DEMO_PASSWORD) -> None:
    """Fill and submit the login form of the current page (choosing the bank when the page asks)."""
    if bank_code is not None and page.locator("select#bank_code").count():
        page.select_option("#bank_code", bank_code)
    page.fill("#login_id", login_id)
    page.fill("#password", password)
    page.click("#login")


def approve_all(page: Any) -> None:
    """On the consent page: tick every account and card, then press 許可する."""
    page.wait_for_selector("#approve")
    for box in page.locator("input[type=checkbox]").all():
        box.check()
    page.click("#approve")
