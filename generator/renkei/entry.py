"""The `renkei` console script: `renkei.cli` plus two start-up/shut-down measures for the one-shot
commands, which spend most of a small run outside their own work.

- `renkei generate` starts its structural-validation child before the command line loads (typer and
  pydantic cost a few hundred milliseconds), so that the two start-ups overlap on two cores.
- `renkei generate`, `renkei check` and `renkei docs` end with `os._exit` once their output is flushed,
  as mypy does: the interpreter's teardown of datamodel-code-generator's and pydantic's module graph costs
  about 0.2 s and frees nothing that outlives the process. Every file they write is closed before the
  command returns.
"""

from __future__ import annotations

import os
import sys

_ONE_SHOT = ("generate", "check", "docs")


def _exit_now(code: object) -> None:
    """Flush what the command printed, then leave without the interpreter's teardown."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    background = sys.modules.get("renkei.generation.background")
    if background is not None:
        background.discard_prestarted()  # atexit handlers do not run
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "generate" and not {"--help", "-h"} & set(sys.argv[2:]):
        from renkei.generation.background import prestart

        prestart()
        # datamodel-code-generator's and typer's internal models need no pydantic plugins (logfire and the
        # like); looking them up scans every installed distribution's entry points.
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from renkei.cli import main as cli_main

    if command not in _ONE_SHOT:
        cli_main()
        return
    try:
        cli_main()
    except SystemExit as done:
        _exit_now(done.code)
    _exit_now(0)
