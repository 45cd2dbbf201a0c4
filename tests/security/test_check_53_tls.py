"""Check 53, TLS posture, over real https on 127.0.0.1: the FAPI sandbox served with the certificate and the
TLS options of `renkei serve --tls` (TLS 1.2+, BCP 195 recommended suites), HSTS on browser-facing
endpoints, the `__Host-` Secure session cookie; over plain http neither HSTS nor `Secure`."""

from __future__ import annotations

import socket
import ssl
import warnings
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from fapi_harness import FapiSandbox, bank_of, push, running_fapi_sandbox
from sandbox_flow import hidden

from renkei_sandbox.seed.seeder import DEMO_PASSWORD
from renkei_sandbox.tls import HSTS

CLIENT_SIDE_ERRORS = ("NO_PROTOCOLS_AVAILABLE", "NO_CIPHERS_AVAILABLE", "NO_CIPHER_MATCH")


@pytest.fixture(scope="module")
def fapi_tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FapiSandbox]:
    with running_fapi_sandbox(tmp_path_factory.mktemp("tls"), tls=True) as running:
        yield running


def handshake(
    fapi: FapiSandbox, version: ssl.TLSVersion | None = None, ciphers: str | None = None
) -> tuple[str, str] | ssl.SSLError:
    """(protocol, cipher) the server agrees to, or the SSLError of its refusal. The client offers what it
    is told, old protocols included (security level 0), so a refusal is the server's."""
    assert fapi.ca_file is not None
    parts = urlsplit(fapi.base_url)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(fapi.ca_file)
    context.set_ciphers(f"{ciphers or 'ALL'}:@SECLEVEL=0")
    if version is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # TLSv1 / TLSv1_1 are deprecated: the point
            context.minimum_version = version
            context.maximum_version = version
    try:
        with (
            socket.create_connection((parts.hostname, parts.port), timeout=10) as raw,
            context.wrap_socket(raw, server_hostname=parts.hostname) as tls,
        ):
            protocol, cipher = tls.version(), tls.cipher()
            assert protocol is not None and cipher is not None
            return protocol, cipher[0]
    except ssl.SSLError as error:
        assert not any(e in str(error) for e in CLIENT_SIDE_ERRORS), f"the client could not offer: {error}"
        return error


def test_check_53_old_protocols_are_refused(fapi_tls: FapiSandbox) -> None:
    for old in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
        assert isinstance(handshake(fapi_tls, old), ssl.SSLError), old


def test_check_53_tls12_offers_only_recommended_suites(fapi_tls: FapiSandbox) -> None:
    v12 = ssl.TLSVersion.TLSv1_2
    for good in (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
    ):
        assert handshake(fapi_tls, v12, good) == ("TLSv1.2", good)
    # CBC with SHA-1 or SHA-2 (no AEAD), and no forward secrecy: BCP 195 does not recommend them
    for weak in ("ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384", "AES128-SHA", "AES256-GCM-SHA384"):
        assert isinstance(handshake(fapi_tls, v12, weak), ssl.SSLError), weak
    assert isinstance(handshake(fapi_tls), tuple)  # a modern client gets in (TLS 1.3 or 1.2)


def test_check_53_hsts_on_browser_facing_endpoints(fapi_tls: FapiSandbox) -> None:
    pushed = push(fapi_tls)
    authorize = f"/oauth/authorize?client_id={fapi_tls.client.client_id}&request_uri={pushed.request_uri}"
    for path in ("/", "/login", authorize, "/.well-known/oauth-authorization-server"):
        response = httpx.get(fapi_tls.url(path), follow_redirects=False)
        assert response.status_code < 500, (path, response.text)
        assert response.headers.get("strict-transport-security") == HSTS, path
    assert "max-age=31536000" in HSTS


def _login(fapi: FapiSandbox) -> httpx.Response:
    pushed = push(fapi)
    params = {"client_id": fapi.client.client_id, "request_uri": pushed.request_uri}
    with httpx.Client(base_url=fapi.base_url, follow_redirects=False, timeout=30) as browser:
        start = browser.get("/oauth/authorize", params=params)
        page = browser.get(start.headers["location"])
        form = {"csrf": hidden(page.text, "csrf"), "request_handle": hidden(page.text, "request_handle")}
        form |= {"login_id": "demo01", "password": DEMO_PASSWORD, "bank_code": bank_of(fapi, "demo01")}
        logged_in = browser.post("/login", data=form)
        assert logged_in.status_code == 303, logged_in.text
        return logged_in


def test_check_53_host_prefixed_secure_session_cookie(fapi_tls: FapiSandbox) -> None:
    cookie = _login(fapi_tls).headers["set-cookie"]
    name, _, attributes = cookie.partition(";")
    flags = [a.strip().lower() for a in attributes.split(";")]
    assert name.startswith("__Host-renkei_session=")
    assert "secure" in flags and "httponly" in flags and "path=/" in flags
    assert not any(f.startswith("domain=") for f in flags)


def test_check_53_plain_http_has_no_hsts_and_no_secure_cookie(fapi: FapiSandbox) -> None:
    assert "strict-transport-security" not in httpx.get(fapi.url("/")).headers
    cookie = _login(fapi).headers["set-cookie"]
    assert cookie.startswith("renkei_session=") and "secure" not in cookie.lower()
