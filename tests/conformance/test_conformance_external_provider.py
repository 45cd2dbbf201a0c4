"""The first run a partner makes: the suite against a provider the project did not write (connexion's mock
server started from the spec), through a provider profile. The run completes (exit 1, not 2 or 3) and the
report names the real differences between such a mock and the standard."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conformance_support import SPECS
from rich.console import Console

from renkei.conformance.runner import Access, run_conformance

pytest.importorskip("connexion")
HERE = Path(__file__).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def mock_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("mock")
    port = _free_port()
    log = (work / "mock.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "external_mock_server.py"),
            str(SPECS["bank-inquiry"]),
            str(port),
            str(work),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=HERE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/v2/banks/2963/accounts", timeout=1)
                break
            except httpx.HTTPError:
                assert process.poll() is None, (work / "mock.log").read_text()
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_the_report_names_the_real_differences(mock_url: str, tmp_path: Path) -> None:
    profile = tmp_path / "mock-provider.yaml"
    profile.write_text(
        f"""name: connexion mock of bank-inquiry
apis:
  bank-inquiry: {mock_url}/v2
customers:
  primary:
    access_token: partner-token
    bank_code: '2963'
  secondary:
    accounts: ['296300999999990']
""",
        encoding="utf-8",
    )
    reports = tmp_path / "reports"
    code = run_conformance(
        [SPECS["bank-inquiry"]], Access(None, profile=profile), reports, 2, 0, 1, Console(quiet=True)
    )
    assert code == 1
    root = ET.parse(reports / "junit.xml").getroot()
    failed = {
        (case.get("classname", "").split(".", 1)[1], str(case.get("name"))): case.find("failure")
        for case in root.iter("testcase")
        if case.find("failure") is not None
    }
    messages = {key: str(f.text) for key, f in failed.items() if f is not None}
    # no x-fapi-interaction-id on any response
    assert "no x-fapi-interaction-id header" in messages[("listAccounts", "standard:interaction-id")]
    # errors are RFC 7807 problem+json, not the standard's ErrorResponse
    assert "application/problem+json" in messages[("listTransactions", "standard:error-body")]
    # the example is served for any account id: another customer's account is readable
    assert "HTTP 200, expected 404" in messages[("getAccount", "standard:isolation")]
    # dateFrom after dateTo is a cross-field rule the schema cannot state: the mock answers 200
    assert "HTTP 200, expected 400" in messages[("listTransactions", "standard:date-range-order")]
    # the static example ignores the window it is asked for
    assert ("listTransactions", "standard:date-range-bounds") in messages
    assert not [key for key in messages if key[0] == "(run)"], "the suite itself must not break"
    page = (reports / "report.html").read_text(encoding="utf-8")
    assert "interaction-id" in page and "curl -X GET" in page
