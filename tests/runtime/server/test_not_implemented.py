"""An operation the service implementation leaves out answers 501 `not_implemented` with the standard body,
and the server names such operations in a warning when its routes are built."""

from __future__ import annotations

import logging
from types import ModuleType
from typing import Any

import pytest

from renkei_runtime.server import RequestContext


class OnlyHealth:
    """Duck-typed: defines one method of the service protocol."""

    async def get_health(self, ctx: RequestContext) -> None:
        return None


def test_a_missing_method_answers_501_with_the_standard_body(
    generated: ModuleType, verifier: Any, in_process: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="renkei.server"):
        app = generated.server.create_app(OnlyHealth(), verifier)
    [warning] = [r.getMessage() for r in caplog.records if "501" in r.getMessage()]
    assert "OnlyHealth" in warning and "list_accounts" in warning and "get_health" not in warning
    api = in_process(app, "http://testserver/v1")
    assert api.get("/health").status_code == 204
    missing = api.get(
        "/banks/0001/accounts", headers={"authorization": "Bearer reader", "x-fapi-interaction-id": "n-1"}
    )
    assert missing.status_code == 501
    assert missing.json()["errorCode"] == "not_implemented"
    assert missing.json()["errorMessage"]
    assert missing.headers["x-fapi-interaction-id"] == "n-1"


def test_a_protocol_subclass_that_does_not_override_a_method_answers_501(
    generated: ModuleType, service: Any, verifier: Any, in_process: Any
) -> None:
    protocol = next(v for k, v in vars(generated.service).items() if k.endswith("Service") and k != "Service")

    class Partial(protocol):  # type: ignore[misc, valid-type]
        async def list_accounts(self, ctx: RequestContext, **kwargs: Any) -> Any:
            return await service.list_accounts(ctx, **kwargs)

    api = in_process(generated.server.create_app(Partial(), verifier), "http://testserver/v1")
    assert api.get("/banks/0001/accounts", headers={"authorization": "Bearer reader"}).status_code == 200
    assert api.get("/health").status_code == 501


def test_a_complete_service_is_not_warned_about(
    generated: ModuleType, service: Any, verifier: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="renkei.server"):
        generated.server.create_app(service, verifier)
    assert not [r for r in caplog.records if "501" in r.getMessage()]
