"""Form bodies with the spec's `encoding` (a payment platform's style): deepObject fields (`metadata[k]=v`,
`preferred_locales[0]=ja`, `address[city]=Tokyo`) and a field `anyOf: [object, enum [""]]` go from the
generated client to the generated server over HTTP and reach the service as sent; raw forms too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from generated_package import generated_package
from live_server import serve

from renkei_runtime.server import VerifiedToken

SPEC = yaml.safe_load((Path(__file__).parent / "corpus" / "form-encoding.yaml").read_text(encoding="utf-8"))


class Anyone:
    async def verify(self, token: str) -> VerifiedToken | None:
        return None


class Service:
    def __init__(self, models: ModuleType) -> None:
        self.models = models
        self.bodies: list[Any] = []

    async def create_customer(self, ctx: Any, *, body: Any) -> Any:
        self.bodies.append(body)
        return self.models.CreateCustomerResponse(id="cus_1")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, "form-encoding.yaml", tmp_path_factory.mktemp("forms")) as generated:
        yield generated


@pytest.fixture(scope="module")
def running(package: ModuleType) -> Iterator[tuple[str, Service]]:
    service = Service(package.models)
    with serve(package.server.create_app(service, Anyone())) as url:
        yield url, service


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "a", "metadata": {"k": "v", "order": "42"}, "preferred_locales": ["ja", "en"]},
        {"name": "b", "metadata": "", "address": {"city": "東京", "line1": "1-2-3"}},
        {"name": "c", "preferred_locales": []},
    ],
)
def test_the_client_and_the_server_agree(package: ModuleType, running: Any, fields: dict[str, Any]) -> None:
    url, service = running
    body = package.models.CreateCustomerBody(**fields)
    with package.client.Client(url + "/api") as client:
        assert client.create_customer(body=body).id == "cus_1"
    received = service.bodies[-1]
    expected = body.model_dump(mode="json", exclude_unset=True)
    if fields.get("preferred_locales") == []:  # an empty array has no form field: it arrives absent
        del expected["preferred_locales"]
    assert received.model_dump(mode="json", exclude_unset=True) == expected


def test_a_raw_deep_object_form_is_read(running: Any) -> None:
    url, service = running
    form = "name=a&metadata[k]=v&preferred_locales[1]=en&preferred_locales[0]=ja&address[city]=Tokyo"
    with httpx.Client(base_url=url) as http:
        response = http.post(
            "/api/customers", content=form, headers={"content-type": "application/x-www-form-urlencoded"}
        )
    assert response.status_code == 200, response.text
    received = service.bodies[-1].model_dump(mode="json", exclude_unset=True)
    assert received == {
        "name": "a",
        "metadata": {"k": "v"},
        "preferred_locales": ["ja", "en"],
        "address": {"city": "Tokyo"},
    }


def test_an_empty_form_is_a_body_and_no_body_is_none(package: ModuleType, running: Any) -> None:
    """A form without fields still says its Content-Type (the generated client sends it), so the server tells
    it from a missing body: the empty form reaches the service as an empty model, no body at all is a 400."""
    url, service = running
    with package.client.Client(url + "/api") as client:
        assert client.create_customer(body=package.models.CreateCustomerBody()).id == "cus_1"
    assert service.bodies[-1].model_dump(exclude_unset=True) == {}
    with httpx.Client(base_url=url) as http:
        missing = http.post("/api/customers")
        empty = http.post("/api/customers", headers={"content-type": "application/x-www-form-urlencoded"})
    assert missing.status_code == 400 and missing.json()["errorMessage"] == "リクエスト本文が必要です。"
    assert empty.status_code == 200, empty.text
