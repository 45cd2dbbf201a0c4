"""The spec's security schemes (spec/*.yaml) say what the FAPI sandbox does: https metadata at the RFC 8414
path, the flow URLs at the metadata's endpoints, PAR required, private_key_jwt, DPoP, the algorithms; every
scope of the spec is one the authorization server offers (check 1 from the spec's side)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml
from fapi_harness import FapiSandbox

SPECS = sorted((Path(__file__).resolve().parents[2] / "spec").glob("*.yaml"))


def _scheme(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    scheme = document["components"]["securitySchemes"]["oauth2"]
    assert isinstance(scheme, dict)
    return scheme


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_check_01_spec_security_scheme_matches_the_served_metadata(spec: Path, fapi: FapiSandbox) -> None:
    scheme = _scheme(spec)
    served = httpx.get(fapi.url("/.well-known/oauth-authorization-server")).json()
    metadata_url = scheme["x-oauth2-metadata-url"]
    assert metadata_url.startswith("https://")
    assert _path(metadata_url) == "/.well-known/oauth-authorization-server"
    flow = scheme["flows"]["authorizationCode"]
    for key in ("authorizationUrl", "tokenUrl", "refreshUrl"):
        assert flow[key].startswith("https://"), key
        assert urlsplit(flow[key]).netloc == urlsplit(metadata_url).netloc, key
    assert _path(flow["authorizationUrl"]) == _path(served["authorization_endpoint"])
    assert _path(flow["tokenUrl"]) == _path(flow["refreshUrl"]) == _path(served["token_endpoint"])
    fapi_claims = scheme["x-fapi"]
    assert fapi_claims["pushedAuthorizationRequests"] == "required"
    assert served["require_pushed_authorization_requests"] is True
    assert fapi_claims["clientAuthentication"] == served["token_endpoint_auth_methods_supported"]
    assert fapi_claims["senderConstraint"] == "dpop"
    assert sorted(fapi_claims["signingAlgorithms"]) == sorted(served["dpop_signing_alg_values_supported"])
    assert sorted(fapi_claims["signingAlgorithms"]) == sorted(
        served["token_endpoint_auth_signing_alg_values_supported"]
    )
    assert set(flow["scopes"]) <= set(served["scopes_supported"])
    for word in ("PAR", "private_key_jwt", "DPoP", "TLS 1.2"):
        assert word in scheme["description"], word
