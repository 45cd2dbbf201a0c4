"""`renkei serve --tls` as a user runs it: a self-signed certificate under var/tls (key 0600), https on
127.0.0.1 with an https issuer and HSTS; `--cert/--key` with the operator's files; bad options refused."""

from __future__ import annotations

import os
import ssl
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from live_server import bind_free_socket
from sandbox_harness import TEST_TODAY, seeded_database
from typer.testing import CliRunner

from renkei_sandbox.cli import plugin_app as app
from renkei_sandbox.tls import HSTS

RENKEI = str(Path(sys.executable).with_name("renkei"))


def _free_port() -> int:
    with bind_free_socket() as sock:
        return int(sock.getsockname()[1])


@contextmanager
def serving(cwd: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    db = seeded_database(cwd)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "RENKEI_TODAY": TEST_TODAY.isoformat(),
        "RENKEI_SCHEDULER_INTERVAL": "off",
    }
    db.dispose()
    command = [RENKEI, "serve", "--no-migrate", "--port", str(port), *options]
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        yield f"https://127.0.0.1:{port}", process
    finally:
        process.terminate()
        process.wait(timeout=30)


def trusting(ca_file: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca_file))


def _wait_ready(base: str, ca_file: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, process.stdout.read() if process.stdout else "exited"
        try:
            if httpx.get(f"{base}/readyz", verify=trusting(ca_file), timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the sandbox never answered over https"
        time.sleep(0.3)


def test_serve_tls_generates_a_certificate_and_serves_https(tmp_path: Path) -> None:
    with serving(tmp_path, "--tls") as (base, process):
        cert = tmp_path / "var" / "tls" / "sandbox-cert.pem"
        key = tmp_path / "var" / "tls" / "sandbox-key.pem"
        deadline = time.monotonic() + 30
        while not cert.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        _wait_ready(base, cert, process)
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        metadata = httpx.get(f"{base}/.well-known/oauth-authorization-server", verify=trusting(cert))
        assert metadata.json()["issuer"] == base
        assert metadata.json()["pushed_authorization_request_endpoint"].startswith("https://")
        assert metadata.headers["strict-transport-security"] == HSTS
        try:
            httpx.get(base.replace("https://", "http://"), timeout=5)
            raise AssertionError("plain http answered on the TLS port")
        except httpx.HTTPError:
            pass
        try:
            httpx.get(f"{base}/readyz", timeout=5)  # not trusted without the certificate
            raise AssertionError("an untrusted certificate was accepted")
        except httpx.ConnectError:
            pass


def test_serve_with_the_operators_certificate(tmp_path: Path) -> None:
    from renkei_sandbox.tls import self_signed

    own = self_signed(tmp_path / "own", "127.0.0.1")
    with serving(tmp_path, "--cert", str(own.cert), "--key", str(own.key)) as (base, process):
        _wait_ready(base, own.cert, process)
        assert not (tmp_path / "var" / "tls").exists()  # nothing generated


def test_cert_without_key_and_missing_files_are_refused(tmp_path: Path) -> None:
    runner = CliRunner()
    alone = runner.invoke(app, ["serve", "--cert", str(tmp_path / "c.pem")])
    assert alone.exit_code == 1 and "--cert and --key go together" in alone.output
    missing = runner.invoke(app, ["serve", "--cert", str(tmp_path / "c.pem"), "--key", str(tmp_path / "k")])
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_serve_tls_with_two_workers(tmp_path: Path) -> None:
    """The supervisor's workers listen with the same certificate and know the https issuer."""
    with serving(tmp_path, "--tls", "--workers", "2") as (base, process):
        cert = tmp_path / "var" / "tls" / "sandbox-cert.pem"
        deadline = time.monotonic() + 30
        while not cert.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        _wait_ready(base, cert, process)
        for _ in range(4):
            metadata = httpx.get(f"{base}/.well-known/oauth-authorization-server", verify=trusting(cert))
            assert metadata.json()["issuer"] == base
            assert metadata.headers["strict-transport-security"] == HSTS
