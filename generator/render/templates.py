"""Where the built-in templates are and which generated module each renders (no Jinja import)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BUILTIN_TEMPLATES", "TEMPLATE_FILES"]

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
"""The package's templates (`generator/templates` links to the repository's top-level `templates/`, and a
wheel carries them as package data)."""
TEMPLATE_FILES = {
    "__init__.py": "__init__.py.jinja",
    "service.py": "service.py.jinja",
    "server.py": "server.py.jinja",
    "client.py": "client.py.jinja",
}
"""Generated module -> the template that renders it."""
