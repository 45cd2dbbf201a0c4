"""`--sandbox`: a fresh seeded sandbox in a temporary directory, served by a child process on a free port of
127.0.0.1, with a registered client and the ids of other customers (for the isolation checks).

The sandbox is another distribution (renkei-sandbox): its entry point in the `renkei.conformance_targets`
group names the module that prepares and serves it; the toolkit only starts that module and talks HTTP."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from renkei.conformance.errors import CannotRun
from renkei.conformance.oauth_flow import DEFAULT_REDIRECT_URI, FlowCredentials
from renkei.conformance.target import ForeignIds

TARGET_GROUP = "renkei.conformance_targets"

START_TIMEOUT_SECONDS = 30.0
PREPARE_TIMEOUT_SECONDS = 300.0
_templates: dict[int, tuple[Path, FlowCredentials, ForeignIds]] = {}
"""Seeded databases of this process by seed number: later sandboxes start from a copy (tests run many)."""


@dataclass(frozen=True)
class LocalSandbox:
    base_url: str
    credentials: FlowCredentials
    foreign: ForeignIds


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def target_module() -> str:
    """The sandbox's conformance-target module, named by its distribution's entry point (never imported
    here: the sandbox runs as a child process, reached over HTTP)."""
    from importlib.metadata import entry_points

    for entry in entry_points(group=TARGET_GROUP, name="sandbox"):
        return entry.module
    raise CannotRun("--sandbox needs the sandbox provider installed (pip install ./sandbox)")


def _prepare(database_url: str, seed_number: int) -> tuple[FlowCredentials, ForeignIds]:
    """Migrate, seed and register a client in a child process; its JSON answer names the test customer."""
    command = [sys.executable, "-m", target_module(), "prepare", database_url, str(seed_number)]
    process = subprocess.run(
        [*command, DEFAULT_REDIRECT_URI], capture_output=True, text=True, timeout=PREPARE_TIMEOUT_SECONDS
    )
    if process.returncode != 0:
        lines = process.stderr.strip().splitlines()
        raise CannotRun(f"the sandbox could not be prepared: {lines[-1] if lines else 'no output'}")
    data = json.loads(process.stdout)
    foreign = ForeignIds(
        other_customer_accounts=tuple(data["other_customer_accounts"]),
        other_bank_accounts=tuple((bank, account) for bank, account in data["other_bank_accounts"]),
        other_customer_cards=tuple(data["other_customer_cards"]),
    )
    credentials = FlowCredentials(
        client_id=data["client_id"],
        client_secret=data["client_secret"],
        username=data["username"],
        password=data["password"],
        bank_code=data["bank_code"],
    )
    return credentials, foreign


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            lines = log.read_text(errors="replace").strip().splitlines()
            raise CannotRun(f"the sandbox did not start: {lines[-1] if lines else 'no output'}")
        try:
            if httpx.get(f"{base_url}/.well-known/oauth-authorization-server", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise CannotRun(f"the sandbox did not answer within {START_TIMEOUT_SECONDS:.0f}s")


def _seeded_copy(seed_number: int, destination: Path) -> tuple[FlowCredentials, ForeignIds]:
    if seed_number not in _templates:
        directory = Path(tempfile.mkdtemp(prefix="renkei-conformance-template-"))
        atexit.register(shutil.rmtree, directory, True)
        template = directory / "sandbox.sqlite3"
        credentials, foreign = _prepare(f"sqlite:///{template}", seed_number)
        _templates[seed_number] = (template, credentials, foreign)
    template, credentials, foreign = _templates[seed_number]
    shutil.copyfile(template, destination)
    return credentials, foreign


@contextmanager
def local_sandbox(seed_number: int = 1) -> Iterator[LocalSandbox]:
    """A running sandbox for the duration of the block; RENKEI_SANDBOX_FAULTS passes through to it."""
    with tempfile.TemporaryDirectory(prefix="renkei-conformance-") as tmp:
        database = Path(tmp) / "sandbox.sqlite3"
        database_url = f"sqlite:///{database}"
        credentials, foreign = _seeded_copy(seed_number, database)
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "sandbox.log"
        env = dict(os.environ, DATABASE_URL=database_url)
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", target_module(), "serve", database_url, str(port)],
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=env,
            )
            try:
                _wait_until_up(base_url, process, log)
                yield LocalSandbox(base_url, credentials, foreign)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
