"""`renkei docs SPECS -o OUT`: exit 0 when the site is written (or, with --check, up to date), 1 when
--check finds it stale, 2 for a usage error or a document that cannot be loaded."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from renkei.checking.discovery import discover
from renkei.docs_site.onboarding import OnboardingError, find_onboarding
from renkei.docs_site.output import OutputError, stale, write_site
from renkei.docs_site.site import build_site
from renkei.loading import LoadedSpec, SpecError, load_spec


def _fail(message: str) -> int:
    print(f"renkei docs: {message}", file=sys.stderr)
    return 2


def run_docs(specs: Sequence[Path], out: Path, console: str | None = None, check: bool = False) -> int:
    started = time.perf_counter()
    documents, problems = discover(specs)
    if problems:
        for problem in problems:
            _fail(problem)
        return 2
    loaded: list[LoadedSpec] = []
    errors: list[SpecError] = []
    for document in documents:
        try:
            loaded.append(load_spec(document))
        except SpecError as error:
            errors.append(error)
    if errors:
        for failure in errors:
            _fail(str(failure))
        return 2
    try:
        onboarding = find_onboarding(documents)
    except OnboardingError as error:
        return _fail(str(error))
    pages = build_site(loaded, console=console, onboarding=onboarding)
    if check:
        differences = stale(pages, out)
        for line in differences:
            print(f"{out}: {line}", file=sys.stderr)
        if differences:
            print(f"renkei docs: {out} is stale; run `renkei docs` (or `make generate`)", file=sys.stderr)
            return 1
        return 0
    try:
        written, removed = write_site(pages, out)
    except (OutputError, OSError) as error:
        return _fail(str(error))
    elapsed = time.perf_counter() - started
    apis = ", ".join(document.stem for document in documents)
    count = f"{len(documents)} API" if len(documents) == 1 else f"{len(documents)} APIs"
    print(
        f"renkei docs: {len(pages)} files for {count} ({apis}) in {out}/ ({written} written, "
        f"{removed} removed, {elapsed:.2f} s); open {out / 'index.html'}"
    )
    return 0
