"""The demo client of `renkei sandbox authorize`: registered once, its credentials kept in a local file,
reused while the database still knows it (a new redirect URI is added when the callback port changes)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from renkei_sandbox.oauth.client_admin import add_redirect_uri, is_retired
from renkei_sandbox.oauth.clients import find_client, register_client

DEMO_CLIENT_NAME = "renkei CLI デモアプリ"
DEFAULT_CLIENT_FILE = Path("var") / "renkei-demo-client.json"


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    client_secret: str
    registered: bool
    """True when this run registered it (False: reused)."""


def _stored(path: Path) -> tuple[str, str] | None:
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
        return str(values["client_id"]), str(values["client_secret"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(path: Path, client_id: str, client_secret: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump({"client_id": client_id, "client_secret": client_secret}, out, indent=2)


def demo_client(session: Session, path: Path, redirect_uri: str) -> DemoClient:
    """The stored demo client when the database still has it (allowing `redirect_uri`), else a new one."""
    stored = _stored(path)
    if stored is not None:
        client = find_client(session, stored[0])
        if client is not None and not is_retired(client):
            add_redirect_uri(session, client.client_id, redirect_uri)
            return DemoClient(stored[0], stored[1], registered=False)
    registered = register_client(session, DEMO_CLIENT_NAME, [redirect_uri])
    assert registered.client_secret is not None  # registered without keys: a secret client (plain profile)
    _store(path, registered.client_id, registered.client_secret)
    return DemoClient(registered.client_id, registered.client_secret, registered=True)
