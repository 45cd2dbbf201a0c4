"""`renkei generate` refuses what `renkei check` refuses: errors always, warnings unless --allow-warnings;
an operation without an operationId is an error, never a silently invented method name."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def renkei(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from renkei.entry import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "spec", tmp_path / "spec")
    return tmp_path / "spec"


def test_warnings_refuse_unless_allowed(spec_copy: Path, tmp_path: Path) -> None:
    inquiry = spec_copy / "bank-inquiry.yaml"
    text = inquiry.read_text(encoding="utf-8")
    assert text.count("      tags:\n      - balances\n") == 1
    inquiry.write_text(text.replace("      tags:\n      - balances\n", "      tags:\n      - balance\n"))
    check = renkei("check", str(inquiry), cwd=tmp_path)
    assert check.returncode == 0  # a warning only
    [warning, _] = check.stdout.splitlines()
    assert "warning [tag-declared]" in warning

    refused = renkei("generate", str(inquiry), "-o", "out", cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        warning,
        "renkei generate: nothing generated: 0 errors, 1 warning in 1 document"
        " (pass --allow-warnings to generate anyway)",
    ]
    assert not (tmp_path / "out").exists()

    allowed = renkei("generate", str(inquiry), "-o", "out", "--allow-warnings", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stderr.splitlines() == [warning]  # still shown
    assert (tmp_path / "out" / "bank_inquiry" / "bank_inquiry" / "client.py").is_file()


def test_a_missing_operation_id_refuses_in_both_languages(spec_copy: Path, tmp_path: Path) -> None:
    inquiry = spec_copy / "bank-inquiry.yaml"
    text = inquiry.read_text(encoding="utf-8")
    removed = text.replace("    get:\n      operationId: listTransactions\n", "    get:\n", 1)
    assert removed != text
    inquiry.write_text(removed, encoding="utf-8")
    english = renkei("generate", str(inquiry), "-o", "out", "--allow-warnings", cwd=tmp_path)
    assert english.returncode == 1
    assert (
        "error [operation-id] GET /banks/{bankCode}/accounts/{accountId}/transactions has no operationId"
        in (english.stderr)
    )
    links = [line for line in english.stderr.splitlines() if "[link-operation]" in line]
    assert len(links) == 2 and all("listTransactions" in line for line in links)  # the two links naming it
    japanese = renkei("generate", str(inquiry), "-o", "out", "--lang", "ja", cwd=tmp_path)
    assert japanese.returncode == 1
    assert "に operationId がありません" in japanese.stderr
    assert (
        japanese.stderr.splitlines()[-1] == "renkei generate: 生成しません: エラー 3 件、警告 0 件 (1 文書)"
    )
    assert not (tmp_path / "out").exists()


UPSTREAM = """\
openapi: 3.0.3
info: {title: Upstream payments, version: 1.0.0}
paths:
  /payments/{payment_id}:
    get:
      operationId: getPayment
      parameters:
      - {name: payment_id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: A payment
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Payment'}
components:
  schemas:
    Payment:
      type: TYPE
      properties:
        payment_id: {type: string}
        amount_value: {type: integer}
"""


def test_an_upstream_spec_generates_with_a_note_of_what_check_would_say(tmp_path: Path) -> None:
    """No renkei configuration and no x-jp-name: the standard's rules (snake_case, no x-jp-name) do not
    refuse generation, as with other generators; one line says so."""
    spec = tmp_path / "payments.yaml"
    spec.write_text(UPSTREAM.replace("TYPE", "object"), encoding="utf-8")
    check = renkei("check", str(spec), cwd=tmp_path)
    assert check.returncode == 1 and "[camel-case-properties]" in check.stdout

    generated = renkei("generate", "payments.yaml", "-o", "out", cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    [note] = generated.stderr.splitlines()
    assert note.startswith("renkei generate: payments.yaml: not written to the standard")
    assert "`renkei check payments.yaml` lists them" in note
    assert (tmp_path / "out" / "payments" / "payments" / "client.py").is_file()


def test_an_upstream_spec_with_a_structural_error_is_still_refused(tmp_path: Path) -> None:
    spec = tmp_path / "payments.yaml"
    spec.write_text(UPSTREAM.replace("TYPE", "objet"), encoding="utf-8")
    refused = renkei("generate", "payments.yaml", "-o", "out", cwd=tmp_path)
    assert refused.returncode == 1
    assert "payments.yaml:18:7: error [openapi-schema]" in refused.stderr and "objet" in refused.stderr
    assert not (tmp_path / "out").exists()


def test_a_renkei_configuration_holds_an_upstream_spec_to_every_rule(tmp_path: Path) -> None:
    spec = tmp_path / "payments.yaml"
    spec.write_text(UPSTREAM.replace("TYPE", "object"), encoding="utf-8")
    (tmp_path / "renkei.toml").write_text('[rules]\ntag-declared = "warning"\n', encoding="utf-8")
    refused = renkei("generate", "payments.yaml", "-o", "out", cwd=tmp_path)
    assert refused.returncode == 1
    assert "[camel-case-properties]" in refused.stderr
    assert "not written to the standard (no renkei configuration" not in refused.stderr


def test_an_upstream_spec_is_still_held_to_its_operation_ids(tmp_path: Path) -> None:
    """operationIds name the generated methods: a missing one is refused on every document."""
    spec = tmp_path / "payments.yaml"
    spec.write_text(UPSTREAM.replace("TYPE", "object").replace("      operationId: getPayment\n", ""))
    refused = renkei("generate", "payments.yaml", "-o", "out", cwd=tmp_path)
    assert refused.returncode == 1
    assert "error [operation-id]" in refused.stderr
    assert not (tmp_path / "out").exists()
