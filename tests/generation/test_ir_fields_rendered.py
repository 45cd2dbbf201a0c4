"""No dead IR: every field of every IR class is read by a template or a render helper (or by a property of
the IR that they read)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import renkei.ir.model as ir

REPO = Path(__file__).resolve().parents[2]
RENDERERS = [
    *sorted((REPO / "templates").glob("*.jinja")),
    *sorted((REPO / "generator" / "renkei" / "render").glob("*.py")),
    *sorted((REPO / "generator" / "renkei" / "generation").glob("*.py")),
]
IR_CLASSES = [
    value
    for value in vars(ir).values()
    if dataclasses.is_dataclass(value) and value.__module__ == ir.__name__
]


def _read_by(source: str, name: str) -> bool:
    return bool(re.search(rf"\.{name}\b|attribute=\"{name}\"|selectattr\(\"{name}\"", source))


@pytest.mark.parametrize("cls", IR_CLASSES, ids=lambda c: c.__name__)
def test_every_field_is_rendered(cls: type) -> None:
    rendering = "".join(path.read_text(encoding="utf-8") for path in RENDERERS)
    model = (REPO / "generator" / "renkei" / "ir" / "model.py").read_text(encoding="utf-8")
    unread = [
        f.name
        for f in dataclasses.fields(cls)
        if not _read_by(rendering, f.name) and not _read_by(model, f.name)
    ]
    assert not unread, f"{cls.__name__} fields no template or render helper reads: {unread}"
