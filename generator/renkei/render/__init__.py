"""Rendering the IR through Jinja templates."""
