"""Structural validation in a child process, beside generation.

Importing openapi-spec-validator costs about 0.4 s and its semantic checks cost seconds on documents with
hundreds of operations. `renkei generate` starts this child first; while it imports the validator and checks
each document, the parent runs datamodel-code-generator and the templates on the second core. The parent
asks for each document's verdict before it reports any other failure and before it writes anything, so the
outcome is the same as validating first; only the wall time differs.

Protocol: the parent writes pickled documents to the child's stdin; the child answers each with a pickled
`StructureProblem | None` on stdout, in order. When the child cannot be started or dies, the parent
validates the remaining documents itself.
"""

from __future__ import annotations

import atexit
import pickle
import queue
import subprocess
import sys
import threading
from typing import IO, Any

from renkei.generation.structure import StructureProblem, find_structure_problem

__all__ = ["BackgroundValidator", "discard_prestarted", "prestart"]

_END = None
_prestarted: list[subprocess.Popen[bytes]] = []


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
    BackgroundValidator adopts it, and it is killed at exit when nothing did (a no-op run)."""
    if not _prestarted and (child := _start_child()) is not None:
        _prestarted.append(child)
        atexit.register(discard_prestarted)


class BackgroundValidator:
    """Documents go in with `submit`; verdicts come out with `result`, in submission order."""

    def __init__(self) -> None:
        self._submitted: list[dict[str, Any]] = []
        self._answered = 0
        self._documents: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._process = _prestarted.pop() if _prestarted else _start_child()
        if self._process is None:
            return
        self._writer = threading.Thread(target=self._write, name="renkei-validation-feed", daemon=True)
        self._writer.start()

    def _write(self) -> None:
        """Feeds the child without blocking the parent (a large document does not fit in a pipe)."""
        assert self._process is not None and self._process.stdin is not None
        stdin = self._process.stdin
        try:
            while (document := self._documents.get()) is not _END:
                pickle.dump(document, stdin, protocol=pickle.HIGHEST_PROTOCOL)
                stdin.flush()
        except Exception:  # the child died, or a document does not pickle: `result` validates it here
            pass
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    def submit(self, document: dict[str, Any]) -> None:
        self._submitted.append(document)
        self._documents.put(document)

    def result(self) -> StructureProblem | None:
        """The verdict on the oldest unanswered document (waits for the child)."""
        document = self._submitted[self._answered]
        self._answered += 1
        if self._process is not None and self._process.stdout is not None:
            try:
                verdict = pickle.load(self._process.stdout)
                if verdict is None or isinstance(verdict, StructureProblem):
                    return verdict
            except (EOFError, OSError, pickle.UnpicklingError):
                pass
            self._abandon()
        return find_structure_problem(document)

    def _abandon(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def close(self) -> None:
        """Ends the child. It has nothing left to say, so it is killed rather than left to shut its
        interpreter down in its own time (about 0.15 s the parent would otherwise wait)."""
        self._documents.put(_END)
        self._abandon()

    def __enter__(self) -> BackgroundValidator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The child: one verdict per document until end of input."""
    while True:
        try:
            document = pickle.load(stdin)
        except EOFError:
            return
        pickle.dump(find_structure_problem(document), stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()


if __name__ == "__main__":
    from renkei.generation.spec_validators import spec_validators

    spec_validators()  # import while the parent loads its first document
    from renkei.generation.fast_meta import fast_spec_validator

    fast_spec_validator(True)
    _serve(sys.stdin.buffer, sys.stdout.buffer)
