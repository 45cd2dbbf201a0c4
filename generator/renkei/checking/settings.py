"""Rule configuration: `[tool.renkei]` in a pyproject.toml, or a renkei.toml, found by walking up from
the spec's directory (the nearest wins; in one directory renkei.toml before pyproject.toml).

    [tool.renkei.rules]            # (in renkei.toml: [rules])
    tag-declared = "error"         # change a rule's severity: "error", "warning" or "off"
    schema-example = "off"         # disable a rule
    guideline = "warning"          # a group: every guideline rule (or "semantic")

    [tool.renkei]                  # (in renkei.toml: at the top level)
    lenient = true                 # load as `--lenient` does: repair what has one obvious repair

    [[tool.renkei.ignore]]         # (in renkei.toml: [[ignore]])
    path = "legacy/*.yaml"         # a glob, relative to the configuration file's directory
    rules = ["camel-case-properties"]   # omitted: every configurable rule
    reason = "field names fixed by the 2019 standard"   # required

Loading failures and the OpenAPI structure (`openapi-schema`) cannot be configured: a document with such
an error cannot be read or generated. `Settings` is the typed result; a new key is a new field there.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

from renkei.checking.findings import Finding, Severity
from renkei.checking.registry import RULES

__all__ = [
    "ConfigError",
    "ConfigFile",
    "Level",
    "Settings",
    "apply_settings",
    "find_settings",
    "find_table",
]

CONFIG_NAME = "renkei.toml"
GROUPS = ("guideline", "semantic")


class ConfigError(Exception):
    """A configuration file that cannot be used (a usage error: exit 2)."""


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


def _known(names: Iterable[str]) -> None:
    for name in names:
        if name not in RULES and name not in GROUPS:
            known = ", ".join(sorted(RULES))
            raise ValueError(
                f"unknown rule {name!r} (configurable rules: {known}; groups: {', '.join(GROUPS)})"
            )


class Ignore(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(min_length=1)
    rules: tuple[str, ...] = ()
    reason: str = Field(min_length=1)

    @field_validator("rules")
    @classmethod
    def _rules_exist(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _known(value)
        return value

    @field_validator("reason")
    @classmethod
    def _reason_is_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an ignore needs a reason (why the finding does not apply)")
        return value


class Settings(BaseModel):
    """What `[tool.renkei]` says. Extend by adding a field (unknown keys are refused)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: dict[str, Level] = Field(default_factory=dict)
    ignore: tuple[Ignore, ...] = ()
    lenient: StrictBool = False
    """As `--lenient` on every command: the structural flaws with one obvious repair are repaired
    (`renkei.loading.lenient`), each a `lenient-repair` warning; for upstream specs nobody here can edit."""

    @field_validator("rules")
    @classmethod
    def _rules_exist(cls, value: dict[str, Level]) -> dict[str, Level]:
        _known(value)
        return value


@dataclass(frozen=True)
class ConfigFile:
    """Settings and the file they came from (None: the defaults)."""

    settings: Settings
    path: Path | None = None

    def level(self, rule: str) -> Level | None:
        """The configured level of `rule` (its own entry before its group's); None when not configured."""
        known = RULES.get(rule)
        if known is None:
            return None  # loading and structure: not configurable
        configured = self.settings.rules
        return configured.get(rule) or configured.get(known.group)

    def ignored(self, finding: Finding) -> bool:
        if self.path is None or finding.location is None or finding.rule not in RULES:
            return False
        try:
            relative = finding.location.file.resolve().relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            return False
        return any(
            fnmatch.fnmatchcase(relative, ignore.path) and (not ignore.rules or finding.rule in ignore.rules)
            for ignore in self.settings.ignore
        )


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _read(path: Path, table: tuple[str, ...]) -> dict[str, Any] | None:
    try:
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    for key in table:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [{'.'.join(table)}] must be a table")
    return data


def parse_settings(path: Path, data: dict[str, Any]) -> ConfigFile:
    import renkei.checking.rules  # noqa: F401  # registers the rules that a configuration may name

    try:
        return ConfigFile(Settings.model_validate(data), path)
    except ValidationError as error:
        raise ConfigError(f"{path}: {_describe(error)}") from None


def _table_in(directory: Path) -> tuple[Path, dict[str, Any]] | None:
    candidate = directory / CONFIG_NAME
    if candidate.is_file():
        return candidate, _read(candidate, ()) or {}
    candidate = directory / "pyproject.toml"
    if candidate.is_file():
        data = _read(candidate, ("tool", "renkei"))
        if data is not None:
            return candidate, data
    return None


def find_table(spec: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration above the document `spec`: its file and its table, not yet validated
    (cheap: `renkei generate` reads `lenient` from it before the rules are loaded). Raises ConfigError for
    a file that cannot be read."""
    directory = spec.absolute().parent
    for folder in (directory, *directory.parents):
        found = _table_in(folder)
        if found is not None:
            return found
    return None


def find_settings(spec: Path) -> ConfigFile:
    """The configuration that applies to the document `spec`: the nearest one above it, or the defaults."""
    found = find_table(spec)
    return ConfigFile(Settings()) if found is None else parse_settings(*found)


def apply_settings(findings: Iterable[Finding], config: ConfigFile) -> list[Finding]:
    """`findings` with configured severities, without disabled rules and ignored paths."""
    kept: list[Finding] = []
    for finding in findings:
        level = config.level(finding.rule)
        if level is Level.OFF or config.ignored(finding):
            continue
        if level is not None:
            severity = Severity.ERROR if level is Level.ERROR else Severity.WARNING
            if severity is not finding.severity:
                finding = Finding(finding.rule, severity, finding.location, finding.text)
        kept.append(finding)
    return kept
