"""Bad input never becomes a traceback: every prefix of a valid document is checked cleanly."""

from __future__ import annotations

import shutil

from checking_support import BROKEN

from renkei.checking.command import check_paths
from renkei.checking.findings import Finding


def test_every_truncation_of_a_document_gives_findings_not_exceptions(tmp_path):
    shutil.copytree(BROKEN / "components", tmp_path / "components")
    lines = (BROKEN / "control-clean.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    target = tmp_path / "api.yaml"
    for end in range(3, len(lines), 2):
        target.write_text("".join(lines[:end]), encoding="utf-8")
        findings = check_paths([target])
        assert all(isinstance(finding, Finding) for finding in findings)
        assert not [finding for finding in findings if "failed:" in finding.message], end


def test_wrong_types_everywhere_give_findings_not_exceptions(tmp_path):
    shutil.copytree(BROKEN / "components", tmp_path / "components")
    text = (BROKEN / "control-clean.yaml").read_text(encoding="utf-8")
    replacements = [
        ("paths:\n", "paths: 5\nx-old-paths:\n"),
        ("      responses:\n", "      responses: []\n      x-old:\n"),
        ("      security:\n", "      security: oauth2\n      x-old-security:\n"),
        ("  schemas:\n", "  schemas: []\n  x-old-schemas:\n"),
        ("      properties:\n", "      properties: [a, b]\n      x-old-properties:\n"),
        ("      tags: [accounts]\n", "      tags: accounts\n"),
        ("servers:\n", "servers: {}\nx-old-servers:\n"),
        ("info:\n", "info: text\nx-old-info:\n"),
    ]
    target = tmp_path / "api.yaml"
    for old, new in replacements:
        assert old in text
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
        findings = check_paths([target])
        assert findings, old
        assert not [finding for finding in findings if "failed:" in finding.message], old
