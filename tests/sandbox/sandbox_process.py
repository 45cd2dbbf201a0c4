"""The sandbox over an existing database in a child process, which a test may kill (SIGKILL) mid-request.

Run as a script: `python sandbox_process.py DATABASE_URL [--hold KEY]`. It prints `listening BASE_URL` once it
serves; with `--hold KEY`, a createTransfer with that Idempotency-Key stops inside its ledger transaction
(after the postings, before the claim completes), prints `holding`, and waits forever.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass
class SandboxProcess:
    process: subprocess.Popen[str]
    base_url: str

    def wait_for(self, line: str, timeout: float = 30) -> None:
        """Block until the child prints `line` (or fail after `timeout` seconds)."""
        found = threading.Event()

        def read() -> None:
            assert self.process.stdout is not None
            for text in self.process.stdout:
                if text.strip() == line:
                    found.set()
                    return

        threading.Thread(target=read, daemon=True).start()
        assert found.wait(timeout), f"the sandbox process never printed {line!r}"

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def sandbox_process(database_url: str, hold: str | None = None) -> Iterator[SandboxProcess]:
    args = [sys.executable, str(Path(__file__)), database_url] + (["--hold", hold] if hold else [])
    tests = str(Path(__file__).resolve().parent.parent)  # for live_server
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [tests, os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, bufsize=1, env=env)
    try:
        assert process.stdout is not None
        first = process.stdout.readline().split()
        assert first[:1] == ["listening"], f"the sandbox process did not start: {first}"
        yield SandboxProcess(process, first[1])
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def _serve(database_url: str, hold: str | None) -> None:
    from live_server import bind_free_socket, serve
    from sandbox_harness import TEST_TODAY

    from renkei_sandbox.app import create_app
    from renkei_sandbox.config import Settings
    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.services import checkpoints

    def hang(point: str, key: str) -> None:
        if hold is not None and point == checkpoints.LEDGER_WRITTEN and key == hold:
            print("holding", flush=True)
            threading.Event().wait()

    sock = bind_free_socket()
    issuer = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = Settings(database_url=database_url, issuer=issuer, fixed_today=TEST_TODAY, profile="plain")
    app = create_app(Database.from_url(database_url), settings)
    with checkpoints.installed(hang), serve(app, sock) as base_url:
        print(f"listening {base_url}", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("--hold")
    arguments = parser.parse_args()
    _serve(arguments.database_url, arguments.hold)
