"""The error codes the runtime itself emits and their Japanese messages.

Every code here is in the standard's error-code catalogue (`x-error-codes` on `ErrorResponse.errorCode` in
spec/components/common.yaml); a test keeps the two in step.
"""

from __future__ import annotations

__all__ = ["CODE_BY_STATUS", "MESSAGES", "code_for_status"]

CODE_BY_STATUS: dict[int, str] = {
    400: "invalid_request",
    401: "invalid_token",
    403: "insufficient_scope",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable_entity",
    429: "too_many_requests",
    500: "server_error",
    501: "not_implemented",
    503: "temporarily_unavailable",
}
"""The code of a bare HTTP status (Starlette's own 404/405, an `HTTPException`)."""

MESSAGES: dict[str, str] = {
    "invalid_request": "要求の内容が正しくありません。",
    "invalid_token": "アクセストークンが無効です。",
    "insufficient_scope": "この操作に必要なスコープがありません。",
    "not_found": "指定されたリソースが見つかりません。",
    "method_not_allowed": "この HTTP メソッドは利用できません。",
    "not_acceptable": "指定された形式では応答できません。",
    "conflict": "現在の状態では実行できません。",
    "payload_too_large": "リクエスト本文が大きすぎます。",
    "unsupported_media_type": "リクエスト本文の形式 (Content-Type) が正しくありません。",
    "unprocessable_entity": "要求を処理できません。",
    "too_many_requests": "しばらく時間をおいて再度お試しください。",
    "server_error": "システムエラーが発生しました。",
    "not_implemented": "この操作は提供されていません。",
    "temporarily_unavailable": "ただいまサービスを利用できません。",
}


def code_for_status(status: int) -> str:
    """The catalogue code of an HTTP status; other 4xx are `invalid_request`, other 5xx `server_error`."""
    if status in CODE_BY_STATUS:
        return CODE_BY_STATUS[status]
    return "server_error" if status >= 500 else "invalid_request"
