"""Names that collide with what generated code uses itself: operations called `service`/`close`, parameters
called `page`, `models`, `class`, `response`, `data` — the generated code must still route them right."""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from generic_spec import allow_generic_spec

from renkei.generation.command import run_generate
from renkei_runtime.server import VerifiedToken

PACKAGE = "name_traps"
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "traps", "version": "1.0.0"},
    "servers": [{"url": "/api"}],
    "paths": {
        "/things/{class}": {
            "get": {
                "operationId": "service",
                "parameters": [
                    {"name": "class", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "page", "in": "query", "schema": {"type": "integer"}},
                    {"name": "models", "in": "query", "schema": {"type": "string"}},
                    {"name": "response", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "data", "in": "header", "schema": {"type": "string"}},
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}},
                    }
                },
            }
        },
        "/close": {"post": {"operationId": "close", "responses": {"204": {"description": "done"}}}},
    },
    "components": {
        "schemas": {
            "Page": {
                "type": "object",
                "required": ["items"],
                "properties": {
                    "items": {"type": "array", "items": {"type": "string"}},
                    "nextCursor": {"type": "string"},
                },
            }
        }
    },
}


class Anyone:
    async def verify(self, token: str) -> VerifiedToken | None:
        return None


class Service:
    def __init__(self, models: ModuleType) -> None:
        self.models = models
        self.calls: list[dict[str, Any]] = []

    async def service(self, ctx: Any, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        if kwargs["cursor"] is None:
            return self.models.Page(items=["a", "b"], next_cursor="2")
        return self.models.Page(items=["c"])

    async def close_(self, ctx: Any) -> None:
        self.calls.append({"closed": True})


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("traps")
    spec = root / "name-traps.yaml"
    spec.write_text(yaml.safe_dump(SPEC, sort_keys=False))
    allow_generic_spec(root)
    assert run_generate([spec], root / "out", None, False) == 0
    sys.path.insert(0, str(root / "out" / PACKAGE))
    try:
        for name in ("server", "client"):
            importlib.import_module(f"{PACKAGE}.{name}")
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root / "out" / PACKAGE))


def test_colliding_names_are_routed_and_paginated(package: ModuleType) -> None:
    service = Service(package.models)
    app = package.server.create_app(service, Anyone())
    assert package.client.DEFAULT_BASE_URL == "http://127.0.0.1:8000/api"

    async def run() -> list[str]:
        transport = httpx.ASGITransport(app=app)
        async with package.client.AsyncClient("http://test/api", transport=transport) as client:
            items = [
                item
                async for item in client.iter_service(
                    class_="c1", page=3, models="m", response=True, data="header-value"
                )
            ]
            await client.close_()
            return items

    assert asyncio.run(run()) == ["a", "b", "c"]
    first, second, closed = service.calls
    assert first == {
        "class_": "c1",
        "page": 3,
        "models": "m",
        "response": True,
        "data": "header-value",
        "cursor": None,
    }
    assert second["cursor"] == "2" and second["page"] == 3
    assert closed == {"closed": True}


@pytest.mark.slow
def test_generated_code_passes_mypy_strict(package: ModuleType) -> None:
    out = Path(package.__file__).parent.parent
    repo = Path(__file__).resolve().parents[2]
    config = str(repo / "pyproject.toml")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", config, "-p", PACKAGE],
        cwd=out,
        env={**os.environ, "MYPYPATH": str(repo)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout
