"""Where the static reference lives (`make generate` writes it), without importing the reference's routes."""

from __future__ import annotations

from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
"""The site `renkei docs spec/... -o sandbox/renkei_sandbox/reference` wrote."""


def reference_is_built() -> bool:
    """Whether the reference's site is there, so that the app serves it at /docs."""
    return (REFERENCE_DIR / "index.html").is_file()
