"""Form and multipart bodies end to end: the generated client sends a model (or a mapping), the generated
server validates the parts into the body's model, and a bad part is the standard 400 (never the service)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from renkei_runtime.server import RequestContext, VerifiedToken
from renkei_runtime.types import UploadedFile

SPEC = Path(__file__).parents[1] / "server" / "specs" / "forms.yaml"
PACKAGE = "forms_client_tests"
PDF = b"%PDF-1.4 \x00\xff body"


class AnyToken:
    async def verify(self, token: str) -> VerifiedToken | None:
        return VerifiedToken(None, "app", frozenset())


class Recorder:
    def __init__(self, models: ModuleType) -> None:
        self.models = models
        self.bodies: list[Any] = []

    async def upload_document(self, ctx: RequestContext, *, body: Any) -> Any:
        self.bodies.append(body)
        return self.models.Stored(size=len(body.file.content))

    async def send_feedback(self, ctx: RequestContext, *, body: Any) -> None:
        self.bodies.append(body)


@pytest.fixture(scope="module")
def package(generate_package: Callable[[Path, str], ModuleType]) -> ModuleType:
    return generate_package(SPEC, PACKAGE)


@pytest.fixture(scope="module")
def server(
    package: ModuleType, serve_app: Callable[[Any], AbstractContextManager[str]]
) -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder(package.models)
    with serve_app(package.server.create_app(recorder, AnyToken())) as root:
        yield root + "/v1", recorder


def test_a_typed_model_arrives_validated_with_its_files(
    package: ModuleType, server: tuple[str, Recorder]
) -> None:
    base_url, recorder = server
    m = package.models
    body = m.UploadDocumentBody(
        file=UploadedFile(PDF, "scan.pdf", "application/pdf"),
        title="請求書",
        category=m.Category.INVOICE,
        pages=3,
        tags=["2026", "税"],
        attachments=[b"one", ("two.png", b"\x89PNG", "image/png")],
        meta=m.Meta(source="scanner", scanned_at=date(2026, 11, 30)),
    )
    with package.client.Client(base_url, token="t") as client:
        assert client.upload_document(body=body).size == len(PDF)
    received = recorder.bodies[-1]
    assert isinstance(received, m.UploadDocumentBody)
    assert received.file == UploadedFile(PDF, "scan.pdf", "application/pdf")
    assert (received.title, received.category, received.pages) == ("請求書", m.Category.INVOICE, 3)
    assert received.tags == ["2026", "税"]
    assert [(a.filename, a.content) for a in received.attachments] == [
        ("attachments", b"one"),
        ("two.png", b"\x89PNG"),
    ]
    assert received.meta == m.Meta(source="scanner", scanned_at=date(2026, 11, 30))


def test_a_mapping_works_too_and_one_part_of_an_array_is_a_list(
    package: ModuleType, server: tuple[str, Recorder]
) -> None:
    base_url, recorder = server
    with package.client.Client(base_url, token="t") as client:
        client.upload_document(body={"file": ("a.txt", b"abc", "text/plain"), "title": "t", "tags": "only"})
    received = recorder.bodies[-1]
    assert received.tags == ["only"]
    assert received.file.filename == "a.txt" and received.file.content_type == "text/plain"
    assert "pages" not in received.model_fields_set


def test_an_urlencoded_body_is_validated(package: ModuleType, server: tuple[str, Recorder]) -> None:
    base_url, recorder = server
    with package.client.Client(base_url, token="t") as client:
        client.send_feedback(body=package.models.SendFeedbackBody(rating=4, labels=["速い", "安い"]))
    received = recorder.bodies[-1]
    assert (received.rating, received.labels) == (4, ["速い", "安い"])
    assert "comment" not in received.model_fields_set


@pytest.mark.parametrize(
    ("fields", "files", "field"),
    [
        ({"title": "no file"}, {}, "body.file"),
        ({"title": "a text part", "file": "not a file"}, {}, "body.file"),
        ({}, {"file": ("a.pdf", PDF)}, "body.title"),
        ({"title": "x" * 41}, {"file": ("a.pdf", PDF)}, "body.title"),
        ({"title": "t", "pages": "many"}, {"file": ("a.pdf", PDF)}, "body.pages"),
        ({"title": "t", "pages": "0"}, {"file": ("a.pdf", PDF)}, "body.pages"),
        ({"title": "t", "category": "contract"}, {"file": ("a.pdf", PDF)}, "body.category"),
        ({"title": "t", "meta": '{"scannedAt": "2026-11-30"}'}, {"file": ("a.pdf", PDF)}, "body.meta.source"),
    ],
    ids=[
        "file-missing",
        "file-as-text",
        "title-missing",
        "title-too-long",
        "pages-text",
        "pages-zero",
        "enum",
        "meta",
    ],
)
def test_a_bad_multipart_body_is_the_standard_400(
    server: tuple[str, Recorder], fields: dict[str, str], files: dict[str, Any], field: str
) -> None:
    base_url, recorder = server
    calls = len(recorder.bodies)
    response = httpx.post(
        base_url + "/documents", data=fields, files=files or None, headers={"authorization": "Bearer t"}
    )
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["errorCode"] == "invalid_request"
    assert field in [detail["errorDetailsField"] for detail in error["errorDetails"]]
    assert response.headers["x-fapi-interaction-id"]
    assert len(recorder.bodies) == calls  # the service never saw it


@pytest.mark.parametrize(
    ("content", "status"),
    [("rating=9", 400), ("comment=x", 400), ("meta=%7B", 400), ("rating=5", 204)],
    ids=["out-of-range", "missing", "unknown-field-only", "valid"],
)
def test_urlencoded_validation(server: tuple[str, Recorder], content: str, status: int) -> None:
    base_url, _ = server
    response = httpx.post(
        base_url + "/feedback",
        content=content,
        headers={"authorization": "Bearer t", "content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == status, response.text


def test_a_part_that_is_not_json_where_an_object_is_expected(server: tuple[str, Recorder]) -> None:
    base_url, _ = server
    response = httpx.post(
        base_url + "/documents",
        data={"title": "t", "meta": "{broken"},
        files={"file": ("a.pdf", PDF)},
        headers={"authorization": "Bearer t"},
    )
    assert response.status_code == 400
    assert "meta" in response.json()["errorMessage"]
