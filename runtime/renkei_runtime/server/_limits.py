"""Request-body limits: 413 before reading a body over the size limit, 415 for a body of the wrong type.

The size is checked twice: on the declared `Content-Length` before anything is read, and on the ASGI
receive channel while the body streams in (chunked uploads declare no length), so that no more than the
limit is ever read into memory.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from renkei_runtime.server._interaction import interaction_id_from
from renkei_runtime.server._problems import ApiProblem, problem_response

__all__ = [
    "DEFAULT_MAX_BODY_SIZE",
    "BodyTooLarge",
    "RequestBodyLimit",
    "check_declared_size",
    "check_media_type",
    "limited_receive",
]

DEFAULT_MAX_BODY_SIZE = 1024 * 1024
"""1 MiB: far above any message of the standard, far below what hurts a worker."""

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
_MEDIA_TYPES = {"json": "application/json", "form": _FORMS[0], "multipart": _FORMS[1]}


class BodyTooLarge(ApiProblem):
    """413 with the standard body; raised from the receive channel once the body passes the limit."""

    def __init__(self, max_bytes: int) -> None:
        message = f"リクエスト本文が上限 ({max_bytes} バイト) を超えています。"
        super().__init__(413, "payload_too_large", message)


def _declared_length(headers: Mapping[bytes, bytes]) -> int | None:
    raw = headers.get(b"content-length")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return None


def check_declared_size(headers: Mapping[bytes, bytes], max_bytes: int | None) -> None:
    """BodyTooLarge when the request declares a `Content-Length` over `max_bytes` (None: no limit)."""
    if max_bytes is not None:
        length = _declared_length(headers)
        if length is not None and length > max_bytes:
            raise BodyTooLarge(max_bytes)


def limited_receive(receive: Receive, max_bytes: int) -> Receive:
    """`receive`, raising BodyTooLarge as soon as the body received so far passes `max_bytes`."""
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > max_bytes:
                raise BodyTooLarge(max_bytes)
        return message

    return receive_within_limit


def _has_body(headers: Mapping[bytes, bytes]) -> bool:
    return b"transfer-encoding" in headers or (_declared_length(headers) or 0) > 0


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def check_media_type(headers: Mapping[bytes, bytes], kind: str) -> None:
    """415 `unsupported_media_type` when a body of kind `json`, `form` or `multipart` comes as another type,
    or without a `Content-Type`. A JSON body may only say `charset=utf-8` (RFC 8259 §8.1); a form body may
    come as either form type (both parse into the same fields). Other kinds pass."""
    expected = _MEDIA_TYPES.get(kind)
    if expected is None:
        return
    raw = headers.get(b"content-type")
    if raw is None:
        if _has_body(headers):
            raise ApiProblem(
                415, "unsupported_media_type", f"リクエスト本文には Content-Type: {expected} が必要です。"
            )
        return
    media_type, _, parameters = raw.decode("latin-1").partition(";")
    media_type = media_type.strip().lower()
    matches = _is_json(media_type) if kind == "json" else media_type in _FORMS
    if matches and kind == "json":
        for parameter in parameters.split(";"):
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset" and value.strip().strip('"').lower() != "utf-8":
                matches = False
    if not matches:
        message = f"Content-Type {media_type or '(空)'} ではなく {expected} で送ってください。"
        raise ApiProblem(415, "unsupported_media_type", message)


class RequestBodyLimit:
    """ASGI middleware: the size limit for every route of an app (generated endpoints check it themselves;
    this covers an app's other routes, such as forms). Over the limit, the app's own answer is replaced by
    the standard 413 as long as the response has not started."""

    __slots__ = ("app", "max_bytes")

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_SIZE) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        interaction_id = interaction_id_from(headers.get(b"x-fapi-interaction-id"))
        too_large = BodyTooLarge(self.max_bytes)
        if (_declared_length(headers) or 0) > self.max_bytes:
            await problem_response(too_large, interaction_id)(scope, receive, send)
            return
        inner = limited_receive(receive, self.max_bytes)
        exceeded = False
        started = False

        async def watched_receive() -> Message:
            nonlocal exceeded
            try:
                return await inner()
            except BodyTooLarge:
                exceeded = True
                raise

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the app's answer to the exception (a 400 or 500) gives way to the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, watched_receive, guarded_send)
        except BodyTooLarge:
            pass
        except Exception:
            if not exceeded or started:
                raise
        if exceeded and not started:
            await problem_response(too_large, interaction_id)(scope, receive, send)
