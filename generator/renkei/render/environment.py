"""The Jinja environment: built-in `templates/`, overlaid file by file by a user directory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from renkei.render.helpers import FILTERS, HELPERS
from renkei.render.templates import BUILTIN_TEMPLATES

__all__ = ["make_environment", "render"]


def _bytecode_cache(jinja2: Any) -> Any:
    """Compiled templates under the user's cache directory (keyed by template source, so never stale);
    compiling the templates is otherwise a tenth of a cold run. None when no cache directory is writable."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "renkei" / "jinja"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(root))


def make_environment(overlay: Path | None) -> Any:
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if overlay is not None:
        loaders.append(jinja2.FileSystemLoader(str(overlay)))
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache(jinja2),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(HELPERS)
    env.filters.update(FILTERS)
    return env


def render(env: Any, template: str, context: dict[str, Any]) -> str:
    return str(env.get_template(template).render(**context))
