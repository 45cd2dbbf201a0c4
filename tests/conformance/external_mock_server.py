"""A provider the project did not write: connexion's mock server (PyPI `connexion`, MockResolver) started from
one of our specs; it validates requests against the spec and answers the spec's examples.

`python external_mock_server.py SPEC PORT WORKDIR`. connexion 3.3 reads OpenAPI 3.0 only, so the bundled
document is lowered to 3.0 first (`openapi`, `info.summary`, `license.identifier`, `type` lists, `const`);
its oauth2 scheme accepts the one token TOKEN with every scope (connexion's x-tokenInfoFunc)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

TOKEN = "partner-token"
SCOPES = [
    "accounts:read", "balances:read", "transactions:read", "transfers:read", "transfers:write",
    "transfers:cancel", "transfer-fees:read", "payee-names:read",
    "cards:read", "card-statements:read", "card-transactions:read", "card-points:read",
]  # fmt: skip


def token_info(token: str) -> dict[str, Any] | None:
    return {"sub": "demo01", "scope": SCOPES} if token == TOKEN else None


def _lower(node: Any) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("type"), list):
            node["type"] = next(t for t in node["type"] if t != "null")
            node["nullable"] = True
        if "const" in node:
            node["enum"] = [node.pop("const")]
        for key in [k for k in node if k.startswith("x-")]:
            node.pop(key)
        for value in node.values():
            _lower(value)
    elif isinstance(node, list):
        for item in node:
            _lower(item)


def openapi_30(document: dict[str, Any]) -> dict[str, Any]:
    document = json.loads(json.dumps(document))
    document["openapi"] = "3.0.3"
    document["info"].pop("summary", None)
    document["info"].get("license", {}).pop("identifier", None)
    _lower(document)
    for scheme in document.get("components", {}).get("securitySchemes", {}).values():
        if scheme.get("type") == "oauth2":
            scheme["x-tokenInfoFunc"] = "external_mock_server.token_info"
    return document


def main(spec: Path, port: int, workdir: Path) -> None:
    import uvicorn
    from connexion import AsyncApp
    from connexion.mock import MockResolver

    from renkei.loading.spec import load_spec

    lowered = workdir / f"{spec.stem}.json"
    lowered.write_text(json.dumps(openapi_30(load_spec(spec).document), ensure_ascii=False), encoding="utf-8")
    app = AsyncApp(__name__)
    app.add_api(lowered, resolver=MockResolver(mock_all=True), base_path="/v2")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    sys.modules.setdefault("external_mock_server", sys.modules["__main__"])
    main(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
