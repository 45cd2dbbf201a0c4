"""Where the built-in templates are and which generated module each renders (no Jinja import)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BUILTIN_TEMPLATES", "PROJECT_TEMPLATE_FILES", "TEMPLATE_FILES"]

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
"""The package's templates (`generator/renkei/templates` links to the repository's top-level `templates/`,
and a wheel carries them as package data)."""
TEMPLATE_FILES = {
    "__init__.py": "__init__.py.jinja",
    "service.py": "service.py.jinja",
    "server.py": "server.py.jinja",
    "client.py": "client.py.jinja",
}
"""Generated module (in the import package) -> the template that renders it."""
PROJECT_TEMPLATE_FILES = {
    "pyproject.toml": "pyproject.toml.jinja",
    "README.md": "README.md.jinja",
}
"""Files beside the import package (the distribution's own) -> their templates."""
