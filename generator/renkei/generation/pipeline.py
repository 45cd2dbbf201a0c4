"""One API: prepare schemas -> models (datamodel-code-generator) -> IR -> templates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from renkei.ir.naming import package_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from renkei.loading import LoadedSpec
    from renkei.models.prepare import PreparedDocument

__all__ = ["RenderedPackage", "render_package"]


@dataclass(frozen=True)
class RenderedPackage:
    package: str
    """The API's name from its file (`bank_inquiry`): the directory under the output directory."""
    files: dict[str, str]
    """Path in the distribution's directory (`pyproject.toml`, `<import name>/client.py` ...) -> text
    (Python sources not yet formatted)."""
    inputs: tuple[Path, ...]
    """Every file the document was loaded from."""


def _input_files(loaded: LoadedSpec, spec: Path) -> tuple[Path, ...]:
    return tuple(sorted({f.resolve() for f in loaded.files} | {spec.resolve()}))


def render_package(
    loaded: LoadedSpec,
    overlay: Path | None,
    prefix: str = "",
    step: Callable[[str], None] = lambda text: None,
) -> RenderedPackage:
    """Everything of `loaded`'s package in memory (the document is checked by `renkei check`'s validation
    meanwhile: see renkei.generation.background). `step(text)` is told what is being done (a progress
    line)."""
    return _render(loaded, overlay, prefix, step)


def _prepare(loaded: LoadedSpec) -> PreparedDocument:
    """The document reshaped for the models; a pattern no engine runs is a SpecError at its line."""
    from renkei.loading import SpecError
    from renkei.models.prepare import PatternProblem, prepare_document

    try:
        return prepare_document(loaded.document)
    except PatternProblem as problem:
        raise SpecError("pattern-unsupported", str(problem), loaded.locate(problem.pointer)) from None


def _render(
    loaded: LoadedSpec, overlay: Path | None, prefix: str, step: Callable[[str], None]
) -> RenderedPackage:
    from renkei.generation.project import project_for
    from renkei.ir.build import build_api
    from renkei.ir.hoisting import hoist_inline_schemas
    from renkei.models.datamodel import generate_models
    from renkei.models.error_bodies import error_bodies
    from renkei.models.hints import TypeHints
    from renkei.render.environment import make_environment, render
    from renkei.render.templates import PROJECT_TEMPLATE_FILES, TEMPLATE_FILES

    spec = loaded.path
    package = package_name(spec.stem)
    step("preparing schemas")
    prepared = _prepare(loaded)
    hoist_inline_schemas(prepared.document)
    step(f"models of {len(prepared.schemas)} schemas (datamodel-code-generator)")
    models = generate_models(prepared)
    step("service, server and client (templates)")
    hints = TypeHints(prepared.schemas, models.classes, prepared.overrides, prepared.python_patterns)
    api = build_api(prepared.document, package, hints, models.fields)
    project = project_for(package, api.version, prefix)
    env = make_environment(overlay)
    context = {
        "api": api,
        "package": package,
        "project": project,
        "models": sorted(models.classes),
        "error_bodies": error_bodies(api, prepared.schemas),
    }
    modules = {name: render(env, template, context) for name, template in TEMPLATE_FILES.items()}
    modules["models.py"] = models.source
    modules["openapi.json"] = json.dumps(loaded.document, ensure_ascii=False, indent=1) + "\n"
    modules["py.typed"] = ""
    files = {name: render(env, template, context) for name, template in PROJECT_TEMPLATE_FILES.items()}
    files.update({f"{project.import_name}/{name}": text for name, text in modules.items()})
    return RenderedPackage(package=package, files=files, inputs=_input_files(loaded, spec))
