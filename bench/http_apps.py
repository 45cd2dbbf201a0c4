"""The three ASGI apps the endpoint benchmark compares, all answering GET .../balance with the same bytes.

- `generated_app`: the generated bank-inquiry router (token and scope check on, parameter validation,
  response serialisation, interaction id) with a service that returns a fixed Balance.
- `starlette_app`: bare Starlette returning the pre-serialised bytes (the upper bound).
- `fastapi_app`: a plain FastAPI route with `response_model` returning the same model (a reference point).
Run each with `uvicorn bench.http_apps:<name> --factory`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import FastAPI, Header
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from renkei_bank_inquiry import models
from renkei_bank_inquiry.server import OPENAPI_DOCUMENT, create_app
from renkei_runtime.server import RequestContext, VerifiedToken

BANK = "2963"
ACCOUNT = "296300112345670"
PATH = f"/v2/banks/{BANK}/accounts/{ACCOUNT}/balance"
TOKEN = "bench-token-0123456789abcdef"
_BALANCE_OP = OPENAPI_DOCUMENT["paths"]["/banks/{bankCode}/accounts/{accountId}/balance"]["get"]
EXAMPLE: dict[str, Any] = _BALANCE_OP["responses"]["200"]["content"]["application/json"]["example"]
BALANCE = models.Balance.model_validate(EXAMPLE)
BODY = BALANCE.model_dump_json(by_alias=True, exclude_unset=True).encode()
App = TypeVar("App")


class FixedTokens:
    async def verify(self, token: str) -> VerifiedToken | None:
        if token != TOKEN:
            return None
        return VerifiedToken(
            subject="bench-customer", client_id="bench", scopes=frozenset({"balances:read"}), bank_code=BANK
        )


class FixedBalanceService:
    """Answers getBalance with a fixed body; other operations are not benchmarked."""

    async def get_balance(self, ctx: RequestContext, *, bank_code: str, account_id: str) -> models.Balance:
        return BALANCE

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)


def _after_start_up(app: App) -> App:
    """Every app alike, as `renkei serve` does before serving (sandbox/serve.py): objects built at start-up
    leave the cyclic GC's view, so full collections while serving stay short."""
    from renkei_sandbox.workers import freeze_start_up_objects

    freeze_start_up_objects()
    return app


def generated_app() -> Any:
    return _after_start_up(create_app(FixedBalanceService(), FixedTokens()))


def starlette_app() -> Starlette:
    async def balance(request: Request) -> Response:
        return Response(BODY, media_type="application/json")

    return _after_start_up(
        Starlette(routes=[Route("/v2/banks/{bankCode}/accounts/{accountId}/balance", balance)])
    )


def fastapi_app() -> FastAPI:
    return _after_start_up(_fastapi_app())


def _fastapi_app() -> FastAPI:
    app = FastAPI()

    @app.get("/v2/banks/{bank_code}/accounts/{account_id}/balance", response_model=models.Balance)
    async def balance(bank_code: str, account_id: str, authorization: str = Header()) -> models.Balance:
        return BALANCE

    return app
