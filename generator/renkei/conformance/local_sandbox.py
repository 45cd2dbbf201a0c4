"""`--sandbox`: a fresh seeded sandbox in a temporary directory, served by a child process on a free port of
127.0.0.1, described by a provider profile (two clients, two customers, another bank, a payee) that the
run uses exactly as it uses a partner's profile of a real bank.

PostgreSQL instead of SQLite: RENKEI_CONFORMANCE_DATABASE_URL names a database that is emptied and seeded.

With `fapi` the sandbox serves the FAPI 2.0 profile (PAR, private_key_jwt, DPoP-bound tokens) and the
profile's client is its key client (`client.private_key_jwk`, written owner-only next to the database); the
secret client becomes `fapi.secret_client`, which that profile must refuse.

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
from typing import Any

import httpx

from renkei.conformance.errors import CannotRun
from renkei.conformance.oauth_flow import FlowCredentials
from renkei.conformance.profile import DEFAULT_REDIRECT_URI, Profile

TARGET_GROUP = "renkei.conformance_targets"
DATABASE_ENV = "RENKEI_CONFORMANCE_DATABASE_URL"

START_TIMEOUT_SECONDS = 120.0
"""Generous: on a loaded machine (load average 20+ on 2 cores) a sandbox took over 30 s to answer."""
PREPARE_TIMEOUT_SECONDS = 300.0
_templates: dict[int, tuple[Path, dict[str, Any]]] = {}
"""Seeded SQLite databases of this process by seed number: later sandboxes start from a copy."""


@dataclass(frozen=True)
class LocalSandbox:
    base_url: str
    profile: Profile
    database_url: str
    port: int
    fapi: bool = False

    @property
    def credentials(self) -> FlowCredentials:
        """The OAuth flow's inputs for the profile's primary customer."""
        from renkei.conformance.credentials import flow_credentials

        credentials = flow_credentials(self.profile, self.profile.customers.primary)
        assert credentials is not None
        return credentials

    def serve_command(self, database_url: str | None = None) -> str:
        """The shell command that serves `database_url` (default: this one) on this sandbox's port."""
        url = database_url or self.database_url
        fapi = " fapi" if self.fapi else ""
        return f"{sys.executable} -m {target_module()} serve {url} {self.port}{fapi}"


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


def _prepare(database_url: str, seed_number: int, reset: bool = False) -> dict[str, Any]:
    """Migrate, seed and register clients in a child process; it answers the profile (without URLs)."""
    command = [sys.executable, "-m", target_module(), "prepare", database_url, str(seed_number)]
    command.append(DEFAULT_REDIRECT_URI)
    if reset:
        command.append("--reset")
    process = subprocess.run(command, capture_output=True, text=True, timeout=PREPARE_TIMEOUT_SECONDS)
    if process.returncode != 0:
        lines = process.stderr.strip().splitlines()
        raise CannotRun(f"the sandbox could not be prepared: {lines[-1] if lines else 'no output'}")
    data: dict[str, Any] = json.loads(process.stdout)
    return data


def sandbox_profile(
    data: dict[str, Any], base_url: str, api_names: list[str], fapi_key: Path | None = None
) -> Profile:
    """The prepared sandbox's profile with its URLs: every API under `<base_url>/v2`. With `fapi_key` (the
    file holding the key client's private JWK) the FAPI 2.0 profile's: that client, the secret one to
    refuse."""
    apis = {name: f"{base_url}/v2" for name in api_names}
    metadata = {"metadata_url": f"{base_url}/.well-known/oauth-authorization-server"}
    fields = {key: value for key, value in data.items() if key != "fapi_client"}
    if fapi_key is not None:
        key_client = data["fapi_client"]
        fields["fapi"] = {"secret_client": fields["client"]}
        fields["client"] = {
            "client_id": key_client["client_id"],
            "private_key_jwk": str(fapi_key),
            "redirect_uri": key_client["redirect_uri"],
        }
        fields.pop("other_client", None)  # a secret client too: the FAPI profile refuses it
    return Profile.model_validate({**fields, "apis": apis, "authorization_server": metadata})


def write_private_jwk(jwk: dict[str, Any], path: Path) -> None:
    """The key client's private JWK, readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(jwk, out)


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


def _seeded_copy(seed_number: int, destination: Path) -> dict[str, Any]:
    if seed_number not in _templates:
        directory = Path(tempfile.mkdtemp(prefix="renkei-conformance-template-"))
        atexit.register(shutil.rmtree, directory, True)
        template = directory / "sandbox.sqlite3"
        _templates[seed_number] = (template, _prepare(f"sqlite:///{template}", seed_number))
    template, data = _templates[seed_number]
    shutil.copyfile(template, destination)
    return data


@contextmanager
def local_sandbox(
    seed_number: int = 1,
    api_names: list[str] | None = None,
    keep_database: Path | None = None,
    fapi: bool = False,
) -> Iterator[LocalSandbox]:
    """A running sandbox for the duration of the block; RENKEI_SANDBOX_FAULTS passes through to it.
    `keep_database`: copy the SQLite database there when the block ends (to serve it again later).
    `fapi`: the FAPI 2.0 profile (its key client in the profile)."""
    names = api_names or ["bank-inquiry", "bank-transfer", "card"]
    with tempfile.TemporaryDirectory(prefix="renkei-conformance-") as tmp:
        postgres = os.environ.get(DATABASE_ENV)
        if postgres:
            database_url = postgres
            data = _prepare(database_url, seed_number, reset=True)
        else:
            database = Path(tmp) / "sandbox.sqlite3"
            database_url = f"sqlite:///{database}"
            data = _seeded_copy(seed_number, database)
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "sandbox.log"
        env = dict(os.environ, DATABASE_URL=database_url)
        fapi_key = None
        if fapi:
            fapi_key = Path(tmp) / "client.jwk.json"
            write_private_jwk(data["fapi_client"]["private_jwk"], fapi_key)
        command = [sys.executable, "-m", target_module(), "serve", database_url, str(port)]
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [*command, "fapi"] if fapi else command,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=env,
            )
            try:
                _wait_until_up(base_url, process, log)
                profile = sandbox_profile(data, base_url, names, fapi_key)
                yield LocalSandbox(base_url, profile, database_url, port, fapi)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                if keep_database is not None and not postgres:
                    shutil.copyfile(Path(tmp) / "sandbox.sqlite3", keep_database)
