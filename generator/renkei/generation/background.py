"""`renkei check`'s validation in a child process, beside generation.

`renkei generate` refuses what `renkei check` refuses, with the same findings: it runs the same
`check_paths`. Importing the validators and checking costs about a second on the three APIs, so the child
is started first; while it checks, the parent runs datamodel-code-generator and the templates on the second
core. The parent asks for the verdict before it reports any failure of its own and before it writes
anything, so the outcome is the same as checking first; only the wall time differs.

Protocol: the parent writes the pickled pair (document paths, lenient) to the child's stdin; the child
answers with a pickled `Verdict` on stdout. When the child cannot be started or dies, the parent checks
itself.
"""

from __future__ import annotations

import atexit
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from renkei.checking.findings import Finding

__all__ = [
    "BackgroundChecker",
    "Verdict",
    "discard_prestarted",
    "prestart",
    "verdict_for",
    "written_to_the_standard",
]

_prestarted: list[subprocess.Popen[bytes]] = []


@dataclass(frozen=True)
class Verdict:
    """The findings of `renkei check` on the documents, or why the configuration cannot be used."""

    findings: tuple[Finding, ...] = ()
    config_error: str | None = None
    guideline: frozenset[str] = frozenset()
    """The rules among the findings that are the standard's guideline rules (not structure or semantics)."""
    not_enforced: tuple[tuple[Path, int], ...] = ()
    """Documents not written to the standard, with how many of `renkei check`'s findings of the
    standard's and semantic rules were left out for them (`upstream`)."""


NAMING_RULES = frozenset({"operation-id"})
"""Held on every document: operationIds name the generated methods (a duplicate would generate two methods
of one name, a missing one an invented name)."""


def written_to_the_standard(path: Path) -> bool:
    """Whether `renkei generate` holds `path` to every rule of `renkei check`: when a renkei configuration
    (`[tool.renkei]`, renkei.toml) applies to it, or it uses the standard's `x-jp-name`. Any other
    document (an upstream spec: Stripe's, a bank's Swagger, a PSD2 spec) is generated unless it cannot be
    read, breaks the OpenAPI structure or its operationIds (`NAMING_RULES`), as other generators do;
    `renkei check` still lists the rest (examples, links, the standard's guideline)."""
    from renkei.checking.settings import find_table

    if find_table(path) is not None:
        return True
    try:
        return "x-jp-name" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # unreadable: the checker reports it


def verdict_for(paths: list[Path], lenient: bool = False) -> Verdict:
    from renkei.checking.command import check_paths
    from renkei.checking.registry import RULES
    from renkei.checking.settings import ConfigError

    standard = [path for path in paths if written_to_the_standard(path)]
    upstream = [path for path in paths if path not in standard]
    try:
        findings = list(check_paths(standard, lenient=lenient)) if standard else []
        not_enforced = []
        for path in upstream:
            found = check_paths([path], lenient=lenient)
            kept = [finding for finding in found if finding.rule not in RULES or finding.rule in NAMING_RULES]
            findings.extend(kept)
            not_enforced.append((path, len(found) - len(kept)))
    except ConfigError as error:
        return Verdict(config_error=str(error))
    rules = {finding.rule for finding in findings}
    guideline = frozenset(rule for rule in rules if rule in RULES and RULES[rule].group == "guideline")
    return Verdict(tuple(findings), guideline=guideline, not_enforced=tuple(not_enforced))


def _start_child() -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            [sys.executable, "-m", __spec__.name if __spec__ else __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None


def discard_prestarted() -> None:
    """Kill a prestarted child that nothing adopted."""
    while _prestarted:
        child = _prestarted.pop()
        child.kill()
        child.wait()


def prestart() -> None:
    """Start the child now, so that its imports overlap the command line's own start-up; the next
    BackgroundChecker adopts it, and it is killed at exit when nothing did (a no-op run)."""
    if not _prestarted and (child := _start_child()) is not None:
        _prestarted.append(child)
        atexit.register(discard_prestarted)


class BackgroundChecker:
    """`submit` the documents once; `result` gives the verdict (waiting for the child)."""

    def __init__(self) -> None:
        self._paths: list[Path] = []
        self._lenient = False
        self._process = _prestarted.pop() if _prestarted else _start_child()
        self._writer: threading.Thread | None = None

    def submit(self, paths: list[Path], *, lenient: bool = False) -> None:
        self._paths = [path.absolute() for path in paths]
        self._lenient = lenient
        if self._process is not None:
            self._writer = threading.Thread(target=self._write, name="renkei-check-feed", daemon=True)
            self._writer.start()

    def _write(self) -> None:
        assert self._process is not None and self._process.stdin is not None
        try:
            pickle.dump((self._paths, self._lenient), self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.close()
        except (OSError, ValueError):  # the child died: `result` checks here
            pass

    def result(self) -> Verdict:
        if self._process is not None and self._process.stdout is not None:
            try:
                verdict = pickle.load(self._process.stdout)
                if isinstance(verdict, Verdict):
                    return verdict
            except (EOFError, OSError, pickle.UnpicklingError, AttributeError, ImportError):
                pass
            self.close()
        return verdict_for(self._paths, self._lenient)

    def close(self) -> None:
        """Ends the child: it has nothing left to say, so it is killed rather than left to shut down."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def __enter__(self) -> BackgroundChecker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The child: one verdict for the documents it is sent."""
    try:
        paths, lenient = pickle.load(stdin)
    except EOFError:
        return
    pickle.dump(verdict_for(paths, lenient), stdout, protocol=pickle.HIGHEST_PROTOCOL)
    stdout.flush()


if __name__ == "__main__":
    import renkei.checking.command  # noqa: F401  # import while the parent loads its documents
    from renkei.checking.fast_meta import rust_dialect_validator

    rust_dialect_validator()
    _serve(sys.stdin.buffer, sys.stdout.buffer)
