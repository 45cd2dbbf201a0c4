"""Routing of generated operations: path parameters holding an encoded slash (`%2F`) reach the right
operation, decoded; `OperationRouter` finds operations through one regex with Starlette's semantics."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from renkei_runtime.server import OperationRoute, OperationRouter

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


def test_plain_starlette_routes_route_an_encoded_slash_too(
    generated: Any, service: Any, verifier: Any, in_process: Any
) -> None:
    app = Starlette(routes=generated.server.routes(service, verifier, prefix="/v1"))
    assert _account(in_process(app, "http://testserver/v1"), "/banks/0001/accounts/a%2Fb") == "a/b"


# OperationRouter: the operation routes found through one regex, with Starlette's order and fallbacks.


class Named:
    """An ASGI endpoint answering its name and the path parameters it got."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await JSONResponse({"name": self.name, "params": scope["path_params"]})(scope, receive, send)


def _router_app(routes: list[Any]) -> Any:
    return Starlette(routes=[Mount("", app=OperationRouter(routes=routes))])


def _answer(api: Any, method: str, path: str) -> tuple[int, Any]:
    response = api.request(method, path)
    return response.status_code, response.json() if response.status_code == 200 else response.headers


def test_the_first_full_match_wins_in_list_order(in_process: Any) -> None:
    routes = [
        OperationRoute("/items/special", Named("special"), methods=["GET"]),
        OperationRoute("/items/{item_id}", Named("get item"), methods=["GET"]),
        OperationRoute("/items/{item_id}", Named("put item"), methods=["PUT"]),
        OperationRoute("/items/{item_id}/parts/{part}", Named("part"), methods=["GET"]),
    ]
    api = in_process(_router_app(routes), "http://testserver")
    assert _answer(api, "GET", "/items/special") == (200, {"name": "special", "params": {}})
    assert _answer(api, "GET", "/items/7") == (200, {"name": "get item", "params": {"item_id": "7"}})
    assert _answer(api, "PUT", "/items/7") == (200, {"name": "put item", "params": {"item_id": "7"}})
    assert api.request("HEAD", "/items/7").status_code == 200
    part = {"name": "part", "params": {"item_id": "a/b", "part": "c"}}
    assert _answer(api, "GET", "/items/a%2Fb/parts/c") == (200, part)
    status, headers = _answer(api, "DELETE", "/items/7")
    assert (status, set(headers["allow"].split(", "))) == (405, {"GET", "HEAD", "PUT"})
    assert _answer(api, "GET", "/nothing")[0] == 404


def test_routes_added_later_are_found(in_process: Any) -> None:
    router = OperationRouter(routes=[OperationRoute("/a/{x}", Named("a"), methods=["GET"])])
    api = in_process(Starlette(routes=[Mount("", app=router)]), "http://testserver")
    assert _answer(api, "GET", "/a/1")[1]["name"] == "a"
    router.routes.append(OperationRoute("/b/{x}", Named("b"), methods=["GET"]))
    assert _answer(api, "GET", "/b/1")[1]["name"] == "b"
    assert _answer(api, "DELETE", "/a/1")[0] == 405
    router.routes.append(Route("/a/{x}", Named("user delete"), methods=["DELETE"]))  # after the table
    assert _answer(api, "DELETE", "/a/1")[1]["name"] == "user delete"
    router.routes.insert(0, Route("/a/{x}", Named("plain a"), methods=["GET"]))  # now ahead of the table
    assert _answer(api, "GET", "/a/1")[1]["name"] == "plain a"
    assert _answer(api, "GET", "/b/1")[1]["name"] == "b"


def test_three_hundred_operations_each_reach_their_own_endpoint(in_process: Any) -> None:
    routes = [
        OperationRoute(f"/res{i}/{{id}}/items/{{item_id}}", Named(f"{method} {i}"), methods=[method])
        for i in range(150)
        for method in ("GET", "POST")
    ]
    api = in_process(_router_app(routes), "http://testserver")
    for i in (0, 1, 74, 149):
        for method in ("GET", "POST"):
            expected = {"name": f"{method} {i}", "params": {"id": f"r{i}", "item_id": "x"}}
            assert _answer(api, method, f"/res{i}/r{i}/items/x") == (200, expected)


@pytest.mark.parametrize(
    ("path", "root_path"),
    [
        ("/v1/banks", ""),
        ("/v1/banks", "/v1"),
        ("/v1", "/v1"),
        ("/v10/banks", "/v1"),
        ("/other/banks", "/v1"),
        ("/api/v1/x", "/api"),
    ],
)
def test_route_path_is_the_one_starlette_matches(path: str, root_path: str) -> None:
    from starlette._utils import get_route_path as starlettes  # only here: the runtime never imports it

    from renkei_runtime.server._routing import get_route_path

    scope = {"type": "http", "path": path, "root_path": root_path}
    assert get_route_path(scope) == starlettes(scope)
