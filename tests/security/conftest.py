from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sandbox"))

from fapi_harness import FapiSandbox, running_fapi_sandbox


@pytest.fixture(scope="module")
def fapi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FapiSandbox]:
    """A seeded sandbox in the FAPI 2.0 profile on 127.0.0.1, with two private_key_jwt clients."""
    with running_fapi_sandbox(tmp_path_factory.mktemp("fapi")) as running:
        yield running
