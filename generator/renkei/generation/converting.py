"""`renkei convert SPEC -o OUT`: the document as renkei reads it, written out as one OpenAPI 3 file.

A Swagger 2.0 document comes out converted to OpenAPI 3.0.3 (`renkei.loading.swagger`); any document comes
out bundled (every file its `$ref`s reach, copied under `components`). The output is checked by
openapi-spec-validator's meta-schema and renkei's structural rules before it is written
(`renkei.checking.structure`, the validation of `renkei check`): a document that does not validate is
reported with file:line of its source, every error, and nothing is written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from renkei.checking.findings import Finding, Severity
from renkei.checking.structure import RULE, validate_structure
from renkei.loading import LoadedSpec, SpecError, load_spec
from renkei.loading.text import Text

__all__ = ["dump_document", "run_convert"]


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line strings as literal blocks (descriptions stay readable)."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text and not any(line != line.rstrip() for line in text.splitlines()):
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_Dumper.add_representer(str, _represent_str)


def dump_document(document: dict[str, Any], json_output: bool) -> str:
    if json_output:
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    text: str = yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False
    )
    return text


def _structure_errors(loaded: LoadedSpec) -> list[Finding]:
    try:
        found = list(validate_structure(loaded))
    except RecursionError:
        return [
            Finding(RULE, Severity.ERROR, loaded.locate([]), Text.of("the document is nested too deeply"))
        ]
    return sorted(
        (Finding(RULE, Severity.ERROR, loaded.locate(pointer), text) for pointer, text in found),
        key=Finding.sort_key,
    )


def run_convert(spec: Path, out: Path | None, *, lenient: bool = False) -> int:
    """Exit status: 0 written (or printed when `out` is None), 1 the document is invalid, 2 its configuration
    cannot be used. `lenient` (or `lenient = true` in its `[tool.renkei]` / renkei.toml) applies the repairs
    of `renkei.loading.lenient` (each a warning on stderr) and writes the result."""
    from renkei.checking.settings import ConfigError, find_settings

    try:
        lenient = lenient or find_settings(spec).settings.lenient
    except ConfigError as error:
        print(f"renkei convert: {error}", file=sys.stderr)
        return 2
    try:
        loaded = load_spec(spec)
        if lenient:
            from renkei.loading.lenient import repair

            for repaired in repair(loaded):
                print(repaired, file=sys.stderr)
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    errors = _structure_errors(loaded)
    for finding in errors:
        print(finding.line(), file=sys.stderr)
    if errors:
        print(f"renkei convert: nothing written: {len(errors)} error(s)", file=sys.stderr)
        return 1
    text = dump_document(loaded.document, json_output=out is not None and out.suffix.lower() == ".json")
    if out is None:
        sys.stdout.write(text)
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"{out}: OpenAPI {loaded.document.get('openapi')}", file=sys.stderr)
    return 0
