"""How much the `renkei` command says: `renkei --quiet ...` (no progress bars, only results and errors),
`renkei --verbose ...` (debug logs of the toolkit and the runtime on stderr), the default in between.

The level also goes to the environment as RENKEI_VERBOSITY (`quiet` / `verbose`), which the commands of
plugins (the sandbox's `renkei serve`, `renkei sandbox seed`) read: they never import the toolkit."""

from __future__ import annotations

import logging
import os
import sys

ENV_VAR = "RENKEI_VERBOSITY"
QUIET = "quiet"
VERBOSE = "verbose"


def set_verbosity(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        raise ValueError("--quiet and --verbose exclude each other")
    if quiet:
        os.environ[ENV_VAR] = QUIET
    elif verbose:
        os.environ[ENV_VAR] = VERBOSE
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        for name in ("renkei", "renkei.client"):
            logger = logging.getLogger(name)
            logger.setLevel(logging.DEBUG)
            logger.addHandler(handler)


def is_quiet() -> bool:
    return os.environ.get(ENV_VAR) == QUIET


def is_verbose() -> bool:
    return os.environ.get(ENV_VAR) == VERBOSE
