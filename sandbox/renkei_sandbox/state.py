"""What the running app shares with its routes: the database and the settings (on `app.state`)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from renkei_sandbox.config import Settings
from renkei_sandbox.db.engine import Database


@dataclass(frozen=True)
class SandboxState:
    db: Database
    settings: Settings


def sandbox_state(connection: HTTPConnection) -> SandboxState:
    state = connection.app.state.sandbox
    assert isinstance(state, SandboxState)
    return state
