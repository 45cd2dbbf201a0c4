"""The spec author's loop: five independent mistakes made together in one copy of spec/ are all reported
by ONE `renkei check` run, each at its real file:line and once (not once per document that bundles the
shared library), and `renkei generate` on the same copy refuses with exit 1 and the same messages.

The mistakes: a wrong schema type in the shared library (components/common.yaml), a wrong schema type in
bank-inquiry.yaml, an operationId removed while two links still name it, a required field removed from
`Balance` while the examples (under additionalProperties: false) still contain it, a broken `$ref`, and a
YAML syntax error (an unquoted `: ` in a Japanese summary) in card.yaml, which gets its hint and does not
stop the other documents from being checked.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from checking_support import REPO, run_cli

SPEC = REPO / "spec"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: expected {old!r} exactly once (has spec/ changed?)"
    path.write_text(text.replace(old, new), encoding="utf-8")


def lines_of(path: Path, needle: str) -> list[int]:
    return [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]


@pytest.fixture
def broken_copy(tmp_path: Path) -> tuple[Path, set[tuple[str, str, int]]]:
    """A copy of spec/ with the five mistakes, and the (rule, file, line) each must be reported at."""
    root = tmp_path / "spec"
    shutil.copytree(SPEC, root)
    common, inquiry = root / "components" / "common.yaml", root / "bank-inquiry.yaml"
    # 1. a wrong schema type in the shared library
    edit(common, "    HasNext:\n      type: boolean\n", "    HasNext:\n      type: bool\n")
    # 2. a wrong schema type in the API document
    edit(inquiry, "    Account:\n      type: object\n", "    Account:\n      type: objet\n")
    # 3. an operationId removed; links still name it
    balance_path = "  /banks/{bankCode}/accounts/{accountId}/balance:\n    get:\n"
    edit(inquiry, balance_path + "      operationId: getBalance\n", balance_path)
    # 4. a required field removed from Balance; the examples still contain it (additionalProperties: false)
    edit(inquiry, "      - currentBalance\n      - withdrawableAmount\n", "      - currentBalance\n")
    text = inquiry.read_text(encoding="utf-8")
    start = text.index("    Balance:\n")
    field = text.index("        withdrawableAmount:\n", start)
    end = text.index("        previousDayBalance:\n", field)
    inquiry.write_text(text[:field] + text[end:], encoding="utf-8")
    # 5. a broken $ref
    edit(
        inquiry,
        "      - $ref: ./components/common.yaml#/components/parameters/DateFrom\n",
        "      - $ref: ./components/common.yaml#/components/parameters/DateFrm\n",
    )

    # 6. a YAML syntax error in another document: an unquoted colon in a Japanese summary
    card = root / "card.yaml"
    original = "      summary: Get the card member (会員情報照会)\n"
    edit(card, original, "      summary: 会員情報照会: 会員の情報\n")

    [get_balance] = [
        n + 1 for n in lines_of(inquiry, "/banks/{bankCode}/accounts/{accountId}/balance:")
    ]  # the `get:` under the path
    expected = {
        ("openapi-schema", "components/common.yaml", lines_of(common, "type: bool")[0]),
        ("openapi-schema", "bank-inquiry.yaml", lines_of(inquiry, "type: objet")[0]),
        ("operation-id", "bank-inquiry.yaml", get_balance),
        ("ref-unresolvable", "bank-inquiry.yaml", lines_of(inquiry, "parameters/DateFrm")[0]),
        ("yaml-syntax", "card.yaml", lines_of(card, "summary: 会員情報照会: 会員の情報")[0]),
    }
    links = lines_of(inquiry, "operationId: getBalance")
    examples = lines_of(inquiry, "withdrawableAmount: '")
    assert len(links) == 2 and len(examples) == 2
    expected |= {("link-operation", "bank-inquiry.yaml", line) for line in links}
    expected |= {("example-schema", "bank-inquiry.yaml", line) for line in examples}
    return root, expected


def test_one_check_run_reports_every_mistake_at_its_line_once(broken_copy):
    root, expected = broken_copy
    result = run_cli("check", str(root), "--format", "json", cwd=root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    findings = json.loads(result.stdout)
    got = [(finding["rule"], finding["file"], finding["line"]) for finding in findings]
    assert len(got) == len(set(got)), f"a finding is reported twice: {got}"
    assert set(got) == expected
    by_rule = {finding["rule"]: finding["message"] for finding in findings}
    assert "'bool' is not one of" in by_rule["openapi-schema"] or "'objet'" in by_rule["openapi-schema"]
    assert "withdrawableAmount" in by_rule["example-schema"]
    assert "getBalance" in by_rule["link-operation"]
    assert "quote the whole value: summary: '会員情報照会: 会員の情報'" in by_rule["yaml-syntax"]


def test_generate_refuses_the_same_copy_with_the_same_messages(broken_copy, tmp_path):
    root, expected = broken_copy
    check = run_cli("check", str(root), cwd=root)
    check_lines = check.stdout.splitlines()[:-1]  # without the summary
    assert len(check_lines) == len(expected)
    documents = [str(root / name) for name in ("bank-inquiry.yaml", "bank-transfer.yaml", "card.yaml")]
    generate = run_cli("generate", *documents, "-o", str(tmp_path / "out"), cwd=root)
    assert generate.returncode == 1
    assert "Traceback" not in generate.stdout + generate.stderr
    lines = generate.stderr.splitlines()
    assert lines[:-1] == check_lines
    assert (
        lines[-1] == f"renkei generate: nothing generated: {len(expected)} errors, 0 warnings in 3 documents"
    )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.py"))
