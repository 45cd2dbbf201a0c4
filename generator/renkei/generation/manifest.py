"""`.renkei-manifest.json`: hashes of a package's inputs and outputs, so an unchanged run costs nothing."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

__all__ = ["MANIFEST", "fingerprint", "is_fresh", "manifest_text"]

MANIFEST = ".renkei-manifest.json"
_GENERATOR_ROOT = Path(__file__).resolve().parents[1]
_RUNTIME_TYPES = "renkei_runtime/types.py"
_SOURCES = ("loading", "ir", "models", "render", "generation")
_OUTPUT_AFFECTING = ("datamodel_code_generator", "ruff", "pydantic")


def _installed_versions(distributions: tuple[str, ...]) -> dict[str, str]:
    """{distribution: version} from the `<name>-<version>.dist-info` directory names on sys.path, first
    match winning as in importlib.metadata (which costs ~0.1 s of every no-op run to import and scan)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            stem, _, suffix = name.rpartition(".")
            distribution, dash, version = stem.partition("-")
            if suffix == "dist-info" and dash and distribution.lower() in distributions:
                found.setdefault(distribution.lower(), version)
        if len(found) == len(distributions):
            break
    return found


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _runtime_types() -> Path:
    """renkei_runtime/types.py (its formats decide the models' types), found without importing it."""
    for entry in sys.path:
        candidate = Path(entry or ".") / _RUNTIME_TYPES
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{_RUNTIME_TYPES} is not on sys.path: is renkei-runtime installed?")


def fingerprint(overlay: Path | None, prefix: str = "") -> str:
    """The generator itself: its code, the templates (built-in and overlay), the library versions and the
    options that change the output."""
    from renkei.render.templates import BUILTIN_TEMPLATES

    h = hashlib.sha256()
    paths = [p for d in _SOURCES for p in sorted((_GENERATOR_ROOT / d).glob("*.py"))]
    paths.append(_runtime_types())
    for directory in (BUILTIN_TEMPLATES, overlay):
        if directory is not None and directory.is_dir():
            paths.extend(sorted(directory.glob("*.jinja")))
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(f"prefix={prefix}".encode())
    versions = _installed_versions(_OUTPUT_AFFECTING)
    for distribution in _OUTPUT_AFFECTING:
        h.update(f"{distribution}={versions.get(distribution, '?')}".encode())
    return h.hexdigest()


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def manifest_text(generator: str, inputs: dict[Path, bytes], outputs: dict[str, bytes], base: Path) -> str:
    """Deterministic: paths relative to `base` (the output directory's parent), sorted keys."""
    data = {
        "generator": generator,
        "inputs": {_relative(p, base): _digest(b) for p, b in inputs.items()},
        "outputs": {name: _digest(b) for name, b in outputs.items()},
    }
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def is_fresh(package_dir: Path, spec: Path, generator: str, base: Path) -> bool:
    """True when the manifest's generator, every input and every output still have the recorded hashes."""
    try:
        data = json.loads((package_dir / MANIFEST).read_text(encoding="utf-8"))
        if data.get("generator") != generator:
            return False
        inputs: dict[str, str] = data["inputs"]
        if _relative(spec, base) not in inputs:
            return False
        for name, digest in inputs.items():
            path = Path(name) if Path(name).is_absolute() else base / name
            if _digest(path.read_bytes()) != digest:
                return False
        for name, digest in data["outputs"].items():
            if _digest((package_dir / name).read_bytes()) != digest:
                return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True
