"""Interaction ids on every response; exact bodies (absent stays absent); statuses; the served spec."""

from __future__ import annotations

import uuid
from typing import Any

READER = {"authorization": "Bearer reader"}
WRITER = {"authorization": "Bearer writer", "idempotency-key": "key-1"}


def test_interaction_id_is_echoed_on_success_and_errors(api: Any, service: Any) -> None:
    for path, headers in (("/banks/0001/accounts", READER), ("/banks/0001/accounts", {}), ("/nope", {})):
        response = api.get(path, headers={**headers, "x-fapi-interaction-id": "my-id-1"})
        assert response.headers["x-fapi-interaction-id"] == "my-id-1"
    assert service.calls[0][1].interaction_id == "my-id-1"


def test_interaction_id_is_created_when_absent_or_unsafe(api: Any) -> None:
    created = api.get("/health").headers["x-fapi-interaction-id"]
    parsed = uuid.UUID(created)
    assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, created)
    assert api.get("/health").headers["x-fapi-interaction-id"] != created
    unsafe = api.get("/health", headers={"x-fapi-interaction-id": 'a"b<script>'})
    assert uuid.UUID(unsafe.headers["x-fapi-interaction-id"])


def test_absent_optional_fields_stay_absent(api: Any) -> None:
    response = api.get("/banks/0001/accounts", headers=READER)
    assert response.json() == {
        "accounts": [{"accountId": "a1", "balance": "100"}],
        "hasNext": True,
        "nextCursor": "p2",
    }
    last = api.get("/banks/0001/accounts?cursor=p2", headers=READER)
    assert last.json() == {
        "accounts": [{"accountId": "a2", "balance": "-5", "nickname": "ｻﾌﾞ"}],
        "hasNext": False,
    }


def test_declared_status_and_reply_headers(api: Any) -> None:
    created = api.post("/banks/0001/transfers", headers=WRITER, json={"amount": "1200", "payeeName": "ﾔﾏﾀﾞ"})
    assert created.status_code == 201
    assert created.json() == {"transferId": "t-1", "amount": "1200"}
    replied = api.post(
        "/banks/0001/transfers", headers=WRITER, json={"amount": "5", "payeeName": "ﾔﾏﾀﾞ", "memo": "accepted"}
    )
    assert replied.status_code == 201
    assert replied.headers["location"] == "/v1/transfers/t-1"


def test_full_width_kana_in_the_body_is_normalised(api: Any, service: Any) -> None:
    api.post("/banks/0001/transfers", headers=WRITER, json={"amount": "5", "payeeName": "ヤマダ　タロウ"})
    assert service.calls[0][2]["body"].payee_name == "ﾔﾏﾀﾞ ﾀﾛｳ"
    assert service.calls[0][2]["idempotency_key"] == "key-1"


def test_openapi_document_is_the_bundled_spec(api: Any, generated: Any) -> None:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    assert response.json() == generated.server.OPENAPI_DOCUMENT
    assert response.json()["info"]["title"] == "ミニ銀行 API"
