"""Structural validation in a child process beside generation: same verdicts as in process, in order, and
in process again when the child is missing or dies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from renkei.generation import background
from renkei.generation.background import BackgroundValidator
from renkei.generation.structure import StructureProblem, find_structure_problem
from renkei.generation.validation import raise_for_problem
from renkei.loading import SpecError, load_spec

INVALID = Path(__file__).parent / "invalid"
CORPUS = Path(__file__).parent / "corpus"


def _many_operations(count: int, broken: int | None) -> dict[str, Any]:
    """`count` trivial operations; operation `broken` declares a path parameter its path lacks."""
    paths: dict[str, Any] = {}
    for i in range(count):
        parameters = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
        if i == broken:
            parameters.append({"name": "other", "in": "path", "required": True, "schema": {"type": "string"}})
        responses = {"200": {"description": "ok"}}
        paths[f"/items{i}/{{id}}"] = {
            "get": {"operationId": f"get{i}", "parameters": parameters, "responses": responses}
        }
    return {"openapi": "3.1.0", "info": {"title": "many", "version": "1.0.0"}, "paths": paths}


def test_the_child_finds_the_error_and_the_parent_locates_it() -> None:
    loaded = load_spec(INVALID / "duplicate-operation-id.yaml")
    with BackgroundValidator() as validator:
        validator.submit(loaded.document)
        problem = validator.result()
    assert problem == find_structure_problem(loaded.document)
    assert problem is not None and "Operation ID" in problem.message
    with pytest.raises(SpecError) as raised:
        raise_for_problem(loaded, problem)
    assert raised.value.location is not None
    assert raised.value.location.file.name == "duplicate-operation-id.yaml"


def test_verdicts_come_back_in_submission_order() -> None:
    documents = [
        load_spec(CORPUS / "petstore-30.yaml").document,
        load_spec(INVALID / "missing-info.yaml").document,
        load_spec(CORPUS / "enums.yaml").document,
    ]
    with BackgroundValidator() as validator:
        for document in documents:
            validator.submit(document)
        verdicts = [validator.result() for _ in documents]
    assert verdicts[0] is None and verdicts[2] is None
    assert isinstance(verdicts[1], StructureProblem) and "info" in verdicts[1].message


def test_semantic_checks_run_on_documents_with_hundreds_of_operations() -> None:
    with BackgroundValidator() as validator:
        validator.submit(_many_operations(300, broken=None))
        validator.submit(_many_operations(300, broken=299))
        clean, broken = validator.result(), validator.result()
    assert clean is None
    assert broken is not None and "'other'" in broken.message and "/items299/{id}" in broken.message


def _exits_at_once() -> subprocess.Popen[bytes]:
    pipe = subprocess.PIPE
    return subprocess.Popen(
        [sys.executable, "-c", "pass"], stdin=pipe, stdout=pipe, stderr=subprocess.DEVNULL
    )


@pytest.mark.parametrize("child", [_exits_at_once, lambda: None], ids=["child-dies", "no-child"])
def test_without_a_working_child_the_parent_validates(monkeypatch: pytest.MonkeyPatch, child: Any) -> None:
    monkeypatch.setattr(background, "_start_child", child)
    loaded = load_spec(INVALID / "path-parameter-not-in-path.yaml")
    with BackgroundValidator() as validator:
        validator.submit(load_spec(CORPUS / "petstore-30.yaml").document)
        validator.submit(loaded.document)
        assert validator.result() is None
        assert validator.result() == find_structure_problem(loaded.document)


def test_a_prestarted_child_is_adopted_once_and_a_spare_one_is_killed() -> None:
    background.prestart()
    [spare] = background._prestarted
    with BackgroundValidator() as validator:
        validator.submit(load_spec(CORPUS / "petstore-30.yaml").document)
        assert validator.result() is None
    assert spare.poll() is not None  # adopted, then ended by close()
    assert background._prestarted == []
    background.prestart()
    [unused] = background._prestarted
    background.discard_prestarted()
    assert unused.poll() is not None and background._prestarted == []
