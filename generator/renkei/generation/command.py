"""`renkei generate SPEC... -o DIR [--templates DIR] [--package-prefix P] [--check]`.

Each document becomes `DIR/<name>/`, an installable distribution: `pyproject.toml`, `README.md` and the
import package `DIR/<name>/<P><name>/` (`pip install DIR/<name>`)."""

from __future__ import annotations

import difflib
import functools
import sys
from pathlib import Path

from renkei.generation.manifest import MANIFEST, fingerprint, is_fresh, manifest_text

__all__ = ["run_generate"]


def _package_dir(out: Path, spec: Path) -> Path:
    from renkei.ir.naming import package_name

    return out / package_name(spec.stem)


def _diff(path: Path, old: str | None, new: str) -> str:
    lines = difflib.unified_diff(
        (old or "").splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{path} (on disk)" if old is not None else "/dev/null",
        tofile=f"{path} (generated)",
    )
    return "".join(lines)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _generate_all(
    specs: list[Path], templates: Path | None, prefix: str, lenient: bool = False
) -> dict[Path, tuple[dict[str, str], tuple[Path, ...]]]:
    """spec -> (formatted files, input files).

    The cyclic garbage collector is paused meanwhile: datamodel-code-generator builds millions of small
    objects that live until the end, and the collector's repeated passes over them cost about 15 % of its
    CPU time on the 4 MB synthetic spec (for about 10 % more peak memory); nothing here makes cycles that
    must be freed before the command ends."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate_all_collector_paused(specs, templates, prefix, lenient)
    finally:
        if collecting:
            gc.enable()


def _generate_all_collector_paused(
    specs: list[Path], templates: Path | None, prefix: str, lenient: bool
) -> dict[Path, tuple[dict[str, str], tuple[Path, ...]]]:
    from renkei.generation.background import BackgroundValidator
    from renkei.generation.formatting import format_sources
    from renkei.generation.pipeline import render_package
    from renkei.generation.progress import GenerateProgress
    from renkei.loading import load_spec

    with GenerateProgress() as progress, BackgroundValidator() as validator:
        loaded = {}
        for spec in specs:
            progress.step(spec.name, "loading")
            loaded[spec] = load_spec(spec)
            if lenient:
                from renkei.loading.lenient import repair

                for repaired in repair(loaded[spec]):
                    print(repaired, file=sys.stderr)
            validator.submit(loaded[spec].document)
        rendered = {}
        for spec in specs:
            step = functools.partial(progress.step, spec.name)
            rendered[spec] = render_package(loaded[spec], templates, validator.result, prefix, step)
        sources = {
            f"{i}/{name}": text
            for i, package in enumerate(rendered.values())
            for name, text in package.files.items()
            if name.endswith(".py")
        }
        for spec in specs:
            progress.step(spec.name, f"formatting {len(sources)} modules (ruff)")
        formatted = format_sources(sources)
    result = {}
    for i, (spec, package) in enumerate(rendered.items()):
        files = {name: formatted.get(f"{i}/{name}", text) for name, text in package.files.items()}
        result[spec] = (files, package.inputs)
    return result


def run_generate(
    specs: list[Path],
    out: Path,
    templates: Path | None,
    check: bool,
    *,
    package_prefix: str = "",
    lenient: bool = False,
) -> int:
    """0 when written (or up to date with --check); 1 when --check finds a difference or a document is
    invalid or missing; 2 for a bad --templates directory or a failure of the generator itself.
    `lenient` repairs the structural flaws that have one obvious repair (`renkei.loading.lenient`), each
    printed as a located warning."""
    from renkei.extras import missing_extra

    if (missing := missing_extra("generate")) is not None:
        print(missing, file=sys.stderr)
        return 2
    if templates is not None and not templates.is_dir():
        print(f"error: --templates {templates}: not a directory", file=sys.stderr)
        return 2
    for spec in specs:
        if not spec.is_file():
            print(f"error: {spec}: no such file", file=sys.stderr)
            return 1
    base = out.resolve().parent
    generator = fingerprint(templates, package_prefix + ("\0lenient" if lenient else ""))
    stale = [s for s in specs if not is_fresh(_package_dir(out, s), s, generator, base)]
    if not stale:
        return 0
    from renkei.loading import SpecError

    try:
        generated = _generate_all(stale, templates, package_prefix, lenient)
    except SpecError as error:
        print(f"error: {error} [{error.rule}]", file=sys.stderr)
        return 1
    except Exception as error:  # a generator failure: one line, no traceback
        name = type(error).__name__
        print(f"error: generation failed: {name}: {' '.join(str(error).split())[:500]}", file=sys.stderr)
        return 2
    differences = []
    for spec, (files, inputs) in generated.items():
        package_dir = _package_dir(out, spec)
        for name, text in sorted(files.items()):
            path = package_dir / name
            old = _read(path)
            if old == text:
                continue
            differences.append(_diff(path, old, text))
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8", newline="\n")
        if not check:
            manifest = manifest_text(
                generator,
                {p: p.read_bytes() for p in inputs},
                {n: t.encode() for n, t in files.items()},
                base,
            )
            if _read(package_dir / MANIFEST) != manifest:
                (package_dir / MANIFEST).write_text(manifest, encoding="utf-8", newline="\n")
    if check and differences:
        sys.stdout.write("".join(differences))
        print(f"generated code is stale in {out}: run `make generate`", file=sys.stderr)
        return 1
    return 0
