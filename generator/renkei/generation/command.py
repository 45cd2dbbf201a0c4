"""`renkei generate SPEC... -o DIR [--templates DIR] [--package-prefix P] [--check]`.

Each document becomes `DIR/<name>/`, an installable distribution: `pyproject.toml`, `README.md` and the
import package `DIR/<name>/<P><name>/` (`pip install DIR/<name>`)."""

from __future__ import annotations

import difflib
import functools
import sys
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from renkei.generation.manifest import MANIFEST, fingerprint, is_fresh, manifest_text

if TYPE_CHECKING:
    from renkei.generation.background import Verdict
    from renkei.loading.text import Language

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


Generated = dict[Path, tuple[dict[str, str], tuple[Path, ...]]]


def _configurations(specs: list[Path]) -> dict[Path, tuple[Path | None, bool]]:
    """spec -> (its configuration file, whether it says `lenient = true`). The file is an input of the
    package (a change to it regenerates). Only `lenient` is read here; the checker validates the rest.
    Raises ConfigError for a configuration that cannot be read."""
    from renkei.checking.settings import find_table

    found = {spec: find_table(spec) for spec in specs}
    return {
        spec: (None, False) if table is None else (table[0], table[1].get("lenient") is True)
        for spec, table in found.items()
    }


def _generate_all(
    specs: list[Path], templates: Path | None, prefix: str, repaired: Collection[Path] = ()
) -> Generated:
    """spec -> (formatted files, input files); the specs in `repaired` get `--lenient`'s repairs.

    The cyclic garbage collector is paused meanwhile: datamodel-code-generator builds millions of small
    objects that live until the end, and the collector's repeated passes over them cost about 15 % of its
    CPU time on the 4 MB synthetic spec (for about 10 % more peak memory); nothing here makes cycles that
    must be freed before the command ends."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate_all_collector_paused(specs, templates, prefix, repaired)
    finally:
        if collecting:
            gc.enable()


def _generate_all_collector_paused(
    specs: list[Path], templates: Path | None, prefix: str, repaired: Collection[Path]
) -> Generated:
    from renkei.generation.formatting import format_sources
    from renkei.generation.pipeline import render_package
    from renkei.generation.progress import GenerateProgress
    from renkei.loading import load_spec

    with GenerateProgress() as progress:
        loaded = {}
        for spec in specs:
            progress.step(spec.name, "loading")
            loaded[spec] = load_spec(spec)
            if spec in repaired:  # the same repairs the checker applies and reports (renkei.loading.lenient)
                from renkei.loading.lenient import repair

                repair(loaded[spec])
        rendered = {}
        for spec in specs:
            step = functools.partial(progress.step, spec.name)
            rendered[spec] = render_package(loaded[spec], templates, prefix, step)
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


# {language: text}; plain dicts, so that a no-op run imports nothing of loading or checking
NOTHING_GENERATED = {"en": "renkei generate: nothing generated", "ja": "renkei generate: 生成しません"}
ALLOW_WARNINGS = {
    "en": " (pass --allow-warnings to generate anyway)",
    "ja": " (警告があっても生成するには --allow-warnings)",
}
GUIDELINE_ONLY = {
    "en": "only the standard's guideline rules refuse; for a document not written to the standard"
    ' (an upstream spec), put guideline = "off" under [rules] in a renkei.toml beside it (docs/rules.md)',
    "ja": "拒否したのは標準のガイドライン規則だけです。標準に沿わない文書 (他所の仕様) なら、"
    '隣の renkei.toml の [rules] に guideline = "off" と書きます (docs/rules.md)',
}


NOT_ENFORCED = {
    "en": "{path}: not written to the standard (no renkei configuration, no x-jp-name): {count} findings"
    " of the standard's and semantic rules not enforced; `renkei check {path}` lists them",
    "ja": "{path}: 標準に沿った文書ではありません (renkei の設定も x-jp-name もなし): 標準・意味の規則の指摘"
    " {count} 件は生成を止めません。一覧は `renkei check {path}`",
}


def _refused(verdict: Verdict, documents: int, allow_warnings: bool, language: Language) -> bool:
    """Print `renkei check`'s findings (its exact lines) on stderr; whether they refuse generation.
    For a document not written to the standard only loading, structure and operationId findings are among
    them."""
    from renkei.checking.findings import LENIENT_RULE, Severity
    from renkei.checking.output import summary

    for finding in verdict.findings:
        print(finding.line(language), file=sys.stderr)
    for path, count in verdict.not_enforced:
        if count:
            note = NOT_ENFORCED[language].format(path=_shown(path), count=count)
            print(f"renkei generate: {note}", file=sys.stderr)
    findings = [finding for finding in verdict.findings if finding.rule != LENIENT_RULE]  # asked for
    errors = any(finding.severity is Severity.ERROR for finding in findings)
    if errors or (findings and not allow_warnings):
        total = summary(findings, documents, language)
        only_guideline = errors and all(
            finding.rule in verdict.guideline for finding in findings if finding.severity is Severity.ERROR
        )
        advice = "" if errors else ALLOW_WARNINGS[language]
        print(f"{NOTHING_GENERATED[language]}: {total}{advice}", file=sys.stderr)
        if only_guideline:
            print(f"renkei generate: {GUIDELINE_ONLY[language]}", file=sys.stderr)
        return True
    return False


def _shown(path: Path) -> str:
    """`path` relative to the working directory when it is below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def run_generate(
    specs: list[Path],
    out: Path,
    templates: Path | None,
    check: bool,
    *,
    package_prefix: str = "",
    allow_warnings: bool = False,
    language: Language = "en",
    lenient: bool = False,
) -> int:
    """0 when written (or up to date with --check); 1 when --check finds a difference, a document is
    missing, or `renkei check` refuses a document (its errors; its warnings unless `allow_warnings`);
    2 for a bad --templates directory, an unusable rule configuration or a failure of the generator itself.
    `lenient` (or `lenient = true` in a document's `[tool.renkei]` / renkei.toml) repairs the structural
    flaws that have one obvious repair (`renkei.loading.lenient`) before checking and generating; each
    repair is reported as a located warning that does not refuse.
    """
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
    from renkei.checking.settings import ConfigError
    from renkei.generation.background import BackgroundChecker
    from renkei.loading import SpecError

    try:
        configs = _configurations(stale)
    except ConfigError as error:
        print(f"renkei generate: {error}", file=sys.stderr)
        return 2
    repaired = {spec for spec, (_, on) in configs.items() if lenient or on}
    failure: Exception | None = None
    generated: Generated = {}
    with BackgroundChecker() as checker:
        checker.submit(stale, lenient=lenient)
        try:
            generated = _generate_all(stale, templates, package_prefix, repaired)
        except Exception as error:  # reported after the verdict, which explains a bad document first
            failure = error
        verdict = checker.result()
    if verdict.config_error is not None:
        print(f"renkei generate: {verdict.config_error}", file=sys.stderr)
        return 2
    if _refused(verdict, len(stale), allow_warnings, language):
        return 1
    if isinstance(failure, SpecError):
        where = f"{failure.location}: " if failure.location else ""
        print(f"{where}error [{failure.rule}] {failure.text.get(language)}", file=sys.stderr)
        return 1
    if failure is not None:  # a generator failure: one line, no traceback
        name = type(failure).__name__
        print(f"error: generation failed: {name}: {' '.join(str(failure).split())[:500]}", file=sys.stderr)
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
            config = configs[spec][0]
            manifest = manifest_text(
                generator,
                {p: p.read_bytes() for p in (*inputs, *([config] if config else []))},
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
