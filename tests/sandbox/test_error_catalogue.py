"""The error codes the runtime and the sandbox emit are exactly the catalogued ones (spec `x-error-codes`).

The implementation's codes are read from the source (AST, not a regex over text): `ApiProblem(status, code,
...)`-shaped calls, `code=` keywords of the domain errors, `default_code` of their classes, the runtime's
status table and `error_body(code, ...)`. A new code in the code without a catalogue row fails here, as does
a code emitted under another status than the catalogue's.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SOURCES = [REPO / "runtime" / "renkei_runtime" / "server", REPO / "sandbox" / "renkei_sandbox"]
STATUS_OF_ERROR_CLASS = {
    "InvalidRequest": 400,
    "NotFound": 404,
    "Conflict": 409,
    "LostClaim": 409,
    "Unprocessable": 422,
}


@dataclass(frozen=True)
class Emitted:
    code: str
    status: int | None
    where: str


def catalogue() -> dict[str, int]:
    common = yaml.safe_load((REPO / "spec" / "components" / "common.yaml").read_text(encoding="utf-8"))
    table = common["components"]["schemas"]["ErrorResponse"]["properties"]["errorCode"]["x-error-codes"]
    return {entry["code"]: entry["status"] for entry in table}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _emitted_in(path: Path) -> list[Emitted]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }  # fmt: skip

    def text(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return constants.get(node.id)
        return None

    found: list[Emitted] = []
    where = lambda node: f"{path.relative_to(REPO)}:{node.lineno}"  # noqa: E731
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            args = node.args
            if (
                len(args) >= 2
                and isinstance(args[0], ast.Constant)
                and isinstance(args[0].value, int)
                and 400 <= args[0].value <= 599
                and text(args[1]) is not None
            ):
                found.append(Emitted(text(args[1]) or "", args[0].value, where(node)))
            if _name(node.func) == "error_body" and args and text(args[0]) is not None:
                found.append(Emitted(text(args[0]) or "", None, where(node)))
            for keyword in node.keywords:
                if keyword.arg == "code" and text(keyword.value) is not None:
                    status = STATUS_OF_ERROR_CLASS.get(_name(node.func) or "")
                    found.append(Emitted(text(keyword.value) or "", status, where(node)))
        elif isinstance(node, ast.ClassDef):
            body = {
                stmt.targets[0].id: stmt.value.value
                for stmt in node.body
                if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Constant)
            }  # fmt: skip
            if isinstance(body.get("default_code"), str):
                found.append(Emitted(body["default_code"], body.get("status_code"), where(node)))
        elif isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(_name(t) == "CODE_BY_STATUS" for t in targets):
                for key, value in zip(node.value.keys, node.value.values, strict=True):
                    assert isinstance(key, ast.Constant) and isinstance(value, ast.Constant)
                    found.append(Emitted(value.value, key.value, where(node)))
    return found


def emitted() -> list[Emitted]:
    found: list[Emitted] = []
    for root in SOURCES:
        for path in sorted(root.rglob("*.py")):
            found += _emitted_in(path)
    return found


def test_the_extractor_sees_the_implementation_codes() -> None:
    codes = {item.code for item in emitted()}
    # A vacuous extractor would pass the sync test below: it must see codes from every kind of site.
    assert {
        "invalid_token",  # runtime status table and the sandbox's principal check
        "server_error",  # runtime crash handler, sandbox middleware (error_body)
        "payload_too_large",  # super().__init__(413, ...)
        "insufficient_funds",  # code= keyword
        "idempotency_key_in_use",  # code=<module constant>
        "unprocessable_entity",  # default_code of a class
        "not_implemented",
        "invalid_transfer_date",
    } <= codes
    assert len(codes) >= 25
    # The fault middleware is scanned too: a fault breaks the standard in one named way, never by a code
    # outside the catalogue (its 500 is `server_error`).
    assert any(item.where.startswith("sandbox/renkei_sandbox/faults.py:") for item in emitted())


def test_every_emitted_code_is_catalogued_under_its_status() -> None:
    table = catalogue()
    wrong = [
        f"{item.where}: {item.code} ({item.status})"
        for item in emitted()
        if item.code not in table or (item.status is not None and table[item.code] != item.status)
    ]
    assert not wrong, "codes missing from x-error-codes or under another status:\n" + "\n".join(wrong)


def test_the_catalogue_has_japanese_names_and_no_leftover_aliases() -> None:
    common = yaml.safe_load((REPO / "spec" / "components" / "common.yaml").read_text(encoding="utf-8"))
    table = common["components"]["schemas"]["ErrorResponse"]["properties"]["errorCode"]["x-error-codes"]
    for entry in table:
        assert any(ord(char) > 0x3000 for char in entry["x-jp-name"]), entry
        assert any(ord(char) > 0x3000 for char in entry["description"]), entry
    # The names the review found in the code instead of the recommended ones (D7).
    assert not {"unauthorized", "forbidden", "internal_error", "unprocessable"} & set(catalogue())
