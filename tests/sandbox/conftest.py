from __future__ import annotations

from collections.abc import Iterator

import pytest
from sandbox_harness import RunningSandbox, running_sandbox


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """A seeded sandbox on 127.0.0.1 shared by the tests of one module."""
    with running_sandbox(tmp_path_factory.mktemp("sandbox")) as running:
        yield running
