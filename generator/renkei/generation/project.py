"""What makes a generated API an installable distribution: its directory, import name, name and version."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["RUNTIME_REQUIREMENTS", "SERVER_REQUIREMENTS", "Project", "distribution_version", "project_for"]

RUNTIME_REQUIREMENTS = (
    "renkei-runtime>=0.2,<0.3",
    "pydantic>=2.14,<3",
    "httpx>=0.27,<1",
)
"""What the generated client and models import (renkei-runtime's own ranges; its minor version is its API)."""
SERVER_REQUIREMENTS = (
    "renkei-runtime[server]>=0.2,<0.3",
    "starlette>=0.47,<2",
)
"""The `server` extra: what the generated server module adds."""

_PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")
_SEMVER_PRE = re.compile(r"^(\d+\.\d+\.\d+)-(alpha|beta|rc|a|b)\.?(\d+)$")
_PRE_SHORT = {"alpha": "a", "beta": "b", "a": "a", "b": "b", "rc": "rc"}


@dataclass(frozen=True)
class Project:
    directory: str
    """`OUT/<directory>/` holds pyproject.toml, README.md and the import package."""
    import_name: str
    distribution: str
    version: str
    requirements: tuple[str, ...] = RUNTIME_REQUIREMENTS
    server_requirements: tuple[str, ...] = SERVER_REQUIREMENTS


def distribution_version(version: str) -> str:
    """`info.version` as a PEP 440 version: as is when valid, `1.0.0-beta.2` -> `1.0.0b2`, else `0.0.0`."""
    text = version.strip().lstrip("vV")
    if _PEP440.match(text):
        return text
    pre = _SEMVER_PRE.match(text)
    if pre:
        return f"{pre.group(1)}{_PRE_SHORT[pre.group(2)]}{pre.group(3)}"
    return "0.0.0"


def project_for(package: str, version: str, prefix: str = "") -> Project:
    """`package` is the API's name from its file (`bank_inquiry`); `prefix` goes before the import name."""
    import_name = f"{prefix}{package}"
    return Project(
        directory=package,
        import_name=import_name,
        distribution=import_name.replace("_", "-"),
        version=distribution_version(version),
    )
