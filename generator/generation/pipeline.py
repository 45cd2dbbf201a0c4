"""One API: prepare schemas -> models (datamodel-code-generator) -> IR -> templates; validated meanwhile."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.ir.naming import package_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from generator.generation.structure import StructureProblem
    from generator.loading import LoadedSpec

__all__ = ["RenderedPackage", "render_package"]


@dataclass(frozen=True)
class RenderedPackage:
    package: str
    files: dict[str, str]
    """File name in the package -> text (Python sources not yet formatted)."""
    inputs: tuple[Path, ...]
    """Every file the document was loaded from."""


def _input_files(loaded: LoadedSpec, spec: Path) -> tuple[Path, ...]:
    return tuple(sorted({f.resolve() for f in loaded.files} | {spec.resolve()}))


def render_package(
    loaded: LoadedSpec, overlay: Path | None, verdict: Callable[[], StructureProblem | None]
) -> RenderedPackage:
    """Everything of `loaded`'s package in memory; raises SpecError for a bad document.

    `verdict` gives the document's structural check (run elsewhere meanwhile): it is asked before any other
    failure is reported and before returning, so a structurally broken document always fails as such.
    """
    from generator.generation.validation import raise_for_problem

    try:
        return _render(loaded, overlay)
    finally:  # a structural problem replaces the result, or any error of the rendering
        raise_for_problem(loaded, verdict())


def _render(loaded: LoadedSpec, overlay: Path | None) -> RenderedPackage:
    from generator.ir.build import build_api
    from generator.ir.hoisting import hoist_inline_schemas
    from generator.models.datamodel import generate_models
    from generator.models.hints import TypeHints
    from generator.models.prepare import prepare_document
    from generator.render.environment import make_environment, render
    from generator.render.templates import TEMPLATE_FILES

    spec = loaded.path
    package = package_name(spec.stem)
    prepared = prepare_document(loaded.document)
    hoist_inline_schemas(prepared.document)
    models = generate_models(prepared)
    hints = TypeHints(prepared.schemas, models.classes, prepared.overrides)
    api = build_api(prepared.document, package, hints, models.fields)
    env = make_environment(overlay)
    context = {"api": api, "package": package, "models": sorted(models.classes)}
    files = {name: render(env, template, context) for name, template in TEMPLATE_FILES.items()}
    files["models.py"] = models.source
    files["openapi.json"] = json.dumps(loaded.document, ensure_ascii=False, indent=1) + "\n"
    files["py.typed"] = ""
    return RenderedPackage(package=package, files=files, inputs=_input_files(loaded, spec))
