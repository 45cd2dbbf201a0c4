"""For tests that generate code from generic OpenAPI documents (not the standard's): a renkei.toml beside
them that turns the standard's guideline rules off, as a user of such documents would. `renkei generate`
refuses what `renkei check` refuses, and these documents are not written to the standard's conventions;
their structure and semantics (examples, links) are still checked. Some of them test the generator's
names for operations without an operationId, which only an explicit `operation-id = "off"` allows."""

from __future__ import annotations

from pathlib import Path

GENERIC_CONFIG = '[rules]\nguideline = "off"\noperation-id = "off"\n'


def allow_generic_spec(directory: Path) -> None:
    (directory / "renkei.toml").write_text(GENERIC_CONFIG, encoding="utf-8")
