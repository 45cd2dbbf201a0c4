"""ECMA-262 patterns and parameter formats in generated code, over real HTTP (uvicorn on 127.0.0.1).

A look-ahead header pattern (UK Open Banking's idempotency key) used to make `server.py` fail to import;
`\\d` used to accept full-width digits; a `format: uuid` header used to accept `x`. Each bad parameter is a
400 with the standard error body, never a 500; models refuse what ECMA-262 refuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import httpx
import pydantic
import pytest
import yaml
from generated_package import generated_package
from generic_spec import allow_generic_spec
from live_server import serve

from renkei.generation.command import run_generate
from renkei_runtime.server import VerifiedToken

PACKAGE = "ecma_patterns"
KATAKANA = {"type": "string", "pattern": r"^\p{Script=Katakana}+$"}
ONE_TO_NINE = {"type": "integer", "minimum": 1, "maximum": 9}
KEY = {"type": "string", "pattern": r"^(?!\s)(.*)(\S)$"}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "patterns", "version": "1.0.0"},
    "servers": [{"url": "/api"}],
    "paths": {
        "/payments/{paymentId}": {
            "post": {
                "operationId": "makePayment",
                "parameters": [
                    {"name": "paymentId", "in": "path", "required": True,
                     "schema": {"type": "string", "pattern": r"^(?<p>[A-Z])\d{6}(?!\d)"}},
                    {"name": "x-idempotency-key", "in": "header", "required": True, "schema": KEY},
                    {"name": "x-request-id", "in": "header", "required": True,
                     "schema": {"type": "string", "format": "uuid"}},
                    {"name": "branch", "in": "query", "schema": {"type": "string", "pattern": r"^\d{3}$"}},
                    {"name": "on", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "memo", "in": "query", "schema": KEY},
                    {"name": "count", "in": "query", "schema": ONE_TO_NINE},
                    {"name": "kana", "in": "cookie", "schema": KATAKANA},
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Payment": {
                "type": "object",
                "required": ["reference", "amount"],
                "properties": {
                    "reference": KEY,
                    "amount": {"type": "string", "pattern": r"^\d+$"},
                    "payee": {"type": "string", "pattern": r"(?<=^JP)[0-9]{7}$"},
                },
            }
        }
    },
}  # fmt: skip


class Anyone:
    async def verify(self, token: str) -> VerifiedToken | None:
        return None


class Service:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def make_payment(self, ctx: Any, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        return kwargs["body"]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, "ecma-patterns.yaml", tmp_path_factory.mktemp("patterns")) as generated:
        yield generated


GOOD_HEADERS = {"x-idempotency-key": "key 1", "x-request-id": "0b5cbd3b-2d8e-4f9c-9d84-0a1b2c3d4e5f"}
GOOD_BODY = {"reference": "ref", "amount": "100"}


@pytest.fixture(scope="module")
def server(package: ModuleType) -> Iterator[tuple[str, Service]]:
    service = Service()
    with serve(package.server.create_app(service, Anyone())) as base_url:
        yield base_url, service


def test_the_generated_client_and_server_agree_on_valid_values(package: ModuleType, server: Any) -> None:
    base_url, service = server
    with package.client.Client(base_url + "/api") as client:
        result = client.make_payment(
            payment_id="A123456",
            x_idempotency_key="key 1",
            x_request_id="0b5cbd3b-2d8e-4f9c-9d84-0a1b2c3d4e5f",
            branch="001",
            on="2026-12-04",
            count=3,
            kana="カタカナ",
            body=package.models.Payment(reference="ref", amount="100", payee="JP1234567"),
        )
    assert result.payee == "JP1234567"
    assert service.calls[-1]["x_idempotency_key"] == "key 1"


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"params": {"memo": " leading space"}}, "memo"),  # HTTP strips such spaces from a header
        ({"params": {"memo": "trailing "}}, "memo"),
        ({"headers": {"x-request-id": "x"}}, "x-request-id"),
        ({"headers": {"x-request-id": "0b5cbd3b2d8e4f9c9d840a1b2c3d4e5f0"}}, "x-request-id"),
        ({"params": {"branch": "１２３"}}, "branch"),  # full-width digits are not ECMA `\d`
        ({"params": {"branch": "12"}}, "branch"),
        ({"params": {"on": "2026-02-30"}}, "on"),
        ({"params": {"on": "20261204"}}, "on"),
        ({"params": {"count": "0"}}, "count"),
        ({"params": {"count": "10"}}, "count"),
        ({"cookies": {"kana": quote("ひらがな")}}, "kana"),  # percent-encoded, as the client sends it
        ({"path": "A1234567"}, "paymentId"),  # seven digits: the look-ahead refuses
        ({"path": "a123456"}, "paymentId"),
    ],
)
def test_a_bad_parameter_is_a_400_with_the_standard_body(
    server: Any, change: dict[str, Any], parameter: str
) -> None:
    base_url, _ = server
    headers = {**GOOD_HEADERS, **change.get("headers", {})}
    with httpx.Client(base_url=base_url, cookies=change.get("cookies")) as http:
        response = http.post(
            f"/api/payments/{change.get('path', 'A123456')}",
            headers=headers,
            params={"branch": "123", **change.get("params", {})},
            json=GOOD_BODY,
        )
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) >= {"errorCode", "errorMessage"}
    assert parameter in response.text


def test_valid_parameters_pass(server: Any) -> None:
    base_url, _ = server
    with httpx.Client(base_url=base_url, cookies={"kana": quote("カタカナ")}) as http:
        response = http.post(
            "/api/payments/A123456", headers=GOOD_HEADERS, params={"on": "2026-12-04"}, json=GOOD_BODY
        )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "body",
    [
        {"reference": " ref", "amount": "100"},
        {"reference": "ref", "amount": "１００"},
        {"reference": "ref", "amount": "100\n"},
        {"reference": "ref", "amount": "100", "payee": "US1234567"},
    ],
)
def test_models_refuse_what_ecma_262_refuses(package: ModuleType, server: Any, body: dict[str, str]) -> None:
    with pytest.raises(pydantic.ValidationError):
        package.models.Payment.model_validate(body)
    base_url, _ = server
    with httpx.Client(base_url=base_url) as http:
        response = http.post("/api/payments/A123456", headers=GOOD_HEADERS, json=body)
    assert response.status_code == 400, response.text


def test_a_pattern_no_engine_runs_is_an_error_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "both.yaml"
    text = yaml.safe_dump(SPEC, sort_keys=False, allow_unicode=True).replace(r"^\d+$", r"(?<=a)\p{L}")
    spec.write_text(text, encoding="utf-8")
    allow_generic_spec(tmp_path)
    assert run_generate([spec], tmp_path / "out", None, False) == 1
    line = next(n for n, content in enumerate(text.splitlines(), 1) if r"(?<=a)\p{L}" in content)
    err = capsys.readouterr().err
    assert f"both.yaml:{line}:" in err and "no engine of pydantic runs both" in err
