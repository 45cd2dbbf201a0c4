"""Run a command with its stderr on a pseudo-terminal, as a person at a terminal sees it (progress bars are
drawn only there). Shared by every test folder, like live_server."""

from __future__ import annotations

import os
import pty
import subprocess
from collections.abc import Sequence


def run_on_a_terminal(
    argv: Sequence[str], env: dict[str, str] | None = None, timeout: float = 300
) -> tuple[int, str]:
    """(exit status, everything the command drew on the terminal); stdout is discarded."""
    primary, secondary = pty.openpty()
    environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", **(env or {})}
    environment.pop("NO_COLOR", None)
    process = subprocess.Popen(
        list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=secondary, env=environment
    )
    os.close(secondary)
    drawn = bytearray()
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the command closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    os.close(primary)
    return process.wait(timeout=timeout), drawn.decode(errors="replace")
