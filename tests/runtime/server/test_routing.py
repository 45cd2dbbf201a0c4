"""Path parameters holding an encoded slash (`%2F`) reach the right operation, decoded."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.routing import Mount

READER = {"authorization": "Bearer reader"}


def _account(api: Any, path: str) -> str:
    response = api.get(path, headers=READER)
    assert response.status_code == 404, response.text  # the service's own 404 names the account it got
    message: str = response.json()["errorMessage"]
    return message.removeprefix("no account ")


def test_an_encoded_slash_stays_inside_its_parameter(api: Any, service: Any) -> None:
    assert _account(api, "/banks/0001/accounts/a%2Fb") == "a/b"
    assert _account(api, "/banks/0001/accounts/%2Fa%2fb%2F") == "/a/b/"
    assert service.calls[0][2] == {"bank_code": "0001", "account_id": "a/b"}


def test_other_escapes_decode_once(api: Any) -> None:
    assert _account(api, "/banks/0001/accounts/a%252Fb%2F%E5%8F%A3%20x") == "a%2Fb/口 x"
    assert _account(api, "/banks/0001/accounts/a%252Fb") == "a%2Fb"  # no encoded slash: Starlette's path


def test_an_encoded_slash_is_not_a_segment_boundary(api: Any, service: Any) -> None:
    """Decoded, `/banks/0001/accounts%2Fa1` would be getAccount for `a1`: it is no operation's path."""
    missing = api.get("/banks/0001/accounts%2Fa1", headers=READER)
    assert (missing.status_code, missing.json()["errorCode"]) == (404, "not_found")
    assert service.calls == []
    invalid = api.get("/banks/0001%2Fx/accounts", headers=READER)  # listAccounts, for bank `0001/x`
    assert invalid.status_code == 400
    assert invalid.json()["errorDetails"][0]["errorDetailsField"] == "path.bankCode"


def test_wrong_method_and_unknown_paths_with_an_encoded_slash(api: Any) -> None:
    wrong = api.delete("/banks/0001/accounts/a%2Fb", headers=READER)
    assert (wrong.status_code, wrong.json()["errorCode"]) == (405, "method_not_allowed")
    missing = api.get("/banks/0001/accounts/a%2Fb/nothing", headers=READER)
    assert (missing.status_code, missing.json()["errorCode"]) == (404, "not_found")


def test_mounted_under_a_root_path(generated: Any, service: Any, verifier: Any, in_process: Any) -> None:
    app = Starlette(routes=[Mount("/api", app=generated.server.create_app(service, verifier))])
    api = in_process(app, "http://testserver/api/v1")
    assert _account(api, "/banks/0001/accounts/a%2Fb") == "a/b"
    assert service.calls[0][2]["account_id"] == "a/b"
