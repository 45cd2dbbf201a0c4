"""Read the input fields of an HTML form page (login, consent) with the standard library's parser."""

from __future__ import annotations

from html.parser import HTMLParser


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str, str]] = []
        """(type, name, value) of every <input>, in document order."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "input":
            return
        values = {key: value or "" for key, value in attrs}
        if "name" in values:
            self.fields.append((values.get("type", "text"), values["name"], values.get("value", "")))


def form_inputs(html: str) -> list[tuple[str, str, str]]:
    parser = _Inputs()
    parser.feed(html)
    return parser.fields


def hidden_value(html: str, name: str) -> str | None:
    return next((value for kind, key, value in form_inputs(html) if kind == "hidden" and key == name), None)


def checkbox_values(html: str, name: str) -> list[str]:
    return [value for kind, key, value in form_inputs(html) if kind == "checkbox" and key == name]
