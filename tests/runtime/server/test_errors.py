"""The standard error body for every error of a generated server, validation included."""

from __future__ import annotations

from typing import Any

READER = {"authorization": "Bearer reader"}
WRITER = {"authorization": "Bearer writer", "idempotency-key": "key-1"}


def test_query_validation_is_400_with_details(api: Any) -> None:
    response = api.get("/banks/0001/accounts?limit=501", headers=READER)
    assert response.status_code == 400
    body = response.json()
    assert body["errorCode"] == "invalid_request"
    assert body["errorDetails"] == [
        {
            "errorDetailsCode": "less_than_equal",
            "errorDetailsMessage": "Input should be less than or equal to 500",
            "errorDetailsField": "query.limit",
        }
    ]


def test_path_validation_uses_the_wire_name(api: Any) -> None:
    response = api.get("/banks/12/accounts", headers=READER)
    assert response.status_code == 400
    assert response.json()["errorDetails"][0]["errorDetailsField"] == "path.bankCode"


def test_missing_required_header_is_400(api: Any) -> None:
    response = api.post(
        "/banks/0001/transfers",
        headers={"authorization": "Bearer writer"},
        json={"amount": "1", "payeeName": "ｱ"},
    )
    assert response.status_code == 400
    assert response.json()["errorDetails"][0]["errorDetailsField"] == "header.Idempotency-Key"


def test_body_validation_is_400_not_fastapi_422(api: Any) -> None:
    response = api.post("/banks/0001/transfers", headers=WRITER, json={"amount": 1200, "payeeName": "山田"})
    assert response.status_code == 400
    fields = sorted(d["errorDetailsField"] for d in response.json()["errorDetails"])
    assert fields == ["body.amount", "body.payeeName"]
    assert "detail" not in response.json()


def test_malformed_json_and_missing_body_are_400(api: Any) -> None:
    json_writer = {**WRITER, "content-type": "application/json"}
    assert api.post("/banks/0001/transfers", headers=json_writer, content=b"{oops").status_code == 400
    response = api.post("/banks/0001/transfers", headers=WRITER)
    assert response.status_code == 400
    assert response.json()["errorMessage"] == "リクエスト本文が必要です。"


def test_api_problem_from_the_service_keeps_details_and_headers(api: Any) -> None:
    response = api.get("/banks/0001/accounts/nope", headers=READER)
    assert response.status_code == 404
    assert response.headers["x-extra"] == "1"
    assert response.json() == {
        "errorCode": "not_found",
        "errorMessage": "no account nope",
        "errorDetails": [{"errorDetailsCode": "E404", "errorDetailsMessage": "unknown"}],
    }


def test_service_crash_is_500_with_the_standard_body(api: Any) -> None:
    for account in ("boom", "wrong-type"):
        response = api.get(f"/banks/0001/accounts/{account}", headers=READER)
        assert response.status_code == 500
        assert response.json() == {
            "errorCode": "server_error",
            "errorMessage": "システムエラーが発生しました。",
        }
        assert "x-fapi-interaction-id" in response.headers


def test_unknown_path_and_method_get_the_standard_body(api: Any) -> None:
    missing = api.get("/no/such/path")
    assert missing.status_code == 404
    assert missing.json()["errorCode"] == "not_found"
    wrong = api.delete("/health")
    assert wrong.status_code == 405
    assert wrong.json()["errorCode"] == "method_not_allowed"
    assert "x-fapi-interaction-id" in wrong.headers


def test_hyphenated_path_parameter_reaches_the_service(api: Any, service: Any) -> None:
    api.get("/banks/0001/accounts/acc-9", headers=READER)
    assert service.calls[0][2] == {"bank_code": "0001", "account_id": "acc-9"}
