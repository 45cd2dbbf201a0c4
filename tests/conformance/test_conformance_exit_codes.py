"""Exit 2 with one clear line (no traceback) when the run cannot start."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from conformance_support import SPECS

from renkei.conformance.command import conformance_command
from renkei.conformance.local_sandbox import LocalSandbox, local_sandbox


@pytest.fixture(scope="module")
def running() -> Iterator[LocalSandbox]:
    with local_sandbox() as sandbox:
        yield sandbox


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return err


def test_unreachable_url(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    code = conformance_command(spec=[SPECS["card"]], base_url=url, token="t")
    assert code == 2
    assert "cannot reach" in _one_line_error(capsys)


def test_no_credentials(capsys: pytest.CaptureFixture[str], running: LocalSandbox) -> None:
    assert conformance_command(spec=[SPECS["card"]], base_url=running.base_url) == 2
    assert "--token" in _one_line_error(capsys)


def test_refused_token(capsys: pytest.CaptureFixture[str], running: LocalSandbox) -> None:
    code = conformance_command(spec=[SPECS["card"]], base_url=running.base_url, token="not-a-token")
    assert code == 2
    assert "authentication failed" in _one_line_error(capsys)


def test_wrong_password(capsys: pytest.CaptureFixture[str], running: LocalSandbox) -> None:
    c = running.credentials
    code = conformance_command(
        spec=[SPECS["card"]],
        base_url=running.base_url,
        client_id=c.client_id,
        client_secret=c.client_secret,
        username=c.username,
        password="wrong-password",
        bank_code=c.bank_code,
    )
    assert code == 2
    assert "login" in _one_line_error(capsys)


def test_wrong_client_secret(capsys: pytest.CaptureFixture[str], running: LocalSandbox) -> None:
    c = running.credentials
    code = conformance_command(
        spec=[SPECS["card"]],
        base_url=running.base_url,
        client_id=c.client_id,
        client_secret="wrong",
        username=c.username,
        password=c.password,
        bank_code=c.bank_code,
    )
    assert code == 2
    assert "token endpoint" in _one_line_error(capsys)


def test_missing_spec(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert conformance_command(spec=[tmp_path / "nope.yaml"], sandbox=True) == 2
    assert "cannot load" in _one_line_error(capsys)


def test_flow_run_writes_reports(tmp_path: Path, running: LocalSandbox) -> None:
    """The documented partner invocation: --base-url with the login flow, reports written, exit 0 or 1."""
    c = running.credentials
    code = conformance_command(
        spec=[SPECS["card"]],
        base_url=running.base_url,
        client_id=c.client_id,
        client_secret=c.client_secret,
        username=c.username,
        password=c.password,
        bank_code=c.bank_code,
        report_dir=tmp_path,
        max_examples=2,
        time_limit=3,
        seed=7,
    )
    assert code in (0, 1)
    assert (tmp_path / "junit.xml").read_bytes().startswith(b"<?xml")
    assert "renkei conformance report" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_bank_api_needs_a_bank_code(capsys: pytest.CaptureFixture[str], running: LocalSandbox) -> None:
    code = conformance_command(spec=[SPECS["bank-inquiry"]], base_url=running.base_url, token="t")
    assert code == 2
    assert "--bank-code" in _one_line_error(capsys)


def test_token_run(tmp_path: Path, running: LocalSandbox) -> None:
    """--token instead of the flow: every standard check runs (but the 403 one, which needs the flow)."""
    import xml.etree.ElementTree as ET

    from renkei.conformance.oauth_flow import obtain_token

    scopes = ["cards:read", "card-statements:read", "card-transactions:read", "card-points:read"]
    token = obtain_token(running.base_url, running.credentials, scopes)
    code = conformance_command(
        spec=[SPECS["card"]], base_url=running.base_url, token=token, report_dir=tmp_path, time_limit=0
    )
    assert code in (0, 1)
    cases = ET.parse(tmp_path / "junit.xml").getroot().findall(".//testcase")
    standard = [case for case in cases if str(case.get("name")).startswith("standard:")]
    assert len(standard) >= 30
    assert all(case.find("failure") is None for case in standard)
