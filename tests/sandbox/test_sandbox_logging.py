"""Logs are JSON lines carrying the interaction id, and never a token, code, client secret or password."""

from __future__ import annotations

import json
import logging
import re

import httpx
import pytest
from sandbox_flow import exchange, login_and_consent
from sandbox_harness import RunningSandbox

from renkei_sandbox.logs import LOGGER_NAME, JsonLinesFormatter
from renkei_sandbox.seed.seeder import DEMO_PASSWORD


def test_logs_hold_no_secrets(sandbox: RunningSandbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    authorized = login_and_consent(sandbox, "demo01", "2963")
    tokens = exchange(sandbox, authorized)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    httpx.get(f"{sandbox.base_url}/v2/banks/2963/accounts", headers=headers)
    httpx.post(
        f"{sandbox.base_url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=(sandbox.client.client_id, sandbox.client.client_secret),
    )
    formatter = JsonLinesFormatter()
    lines = [formatter.format(record) for record in caplog.records if record.name == LOGGER_NAME]
    assert any('"event": "token"' in line for line in lines)
    secrets = [
        tokens["access_token"],
        tokens["refresh_token"],
        authorized.code,
        authorized.verifier,
        sandbox.client.client_secret,
        DEMO_PASSWORD,
    ]
    for line in lines:
        entry = json.loads(line)
        assert entry["ts"] and entry["kind"]
        for secret in secrets:
            assert secret not in line
    access = [json.loads(line) for line in lines if '"kind": "access"' in line]
    assert access and all(entry["interaction_id"] for entry in access)


def test_text_format_is_one_readable_line_per_event() -> None:
    from renkei_sandbox.logs import TextFormatter

    record = logging.LogRecord(LOGGER_NAME, logging.INFO, __file__, 1, "access", None, None)
    record.fields = {
        "kind": "access",
        "interaction_id": None,
        "method": "GET",
        "path": "/v2/banks/2963/accounts",
        "status": 200,
        "remarks": "ﾌﾘｺﾐ ｼﾝｿﾞｸ",
    }
    line = TextFormatter().format(record)
    assert re.fullmatch(
        r"\d\d:\d\d:\d\d\.\d{3} info  access method=GET path=/v2/banks/2963/accounts status=200 "
        r'remarks="ﾌﾘｺﾐ ｼﾝｿﾞｸ"',
        line,
    ), line
    assert "interaction_id" not in line  # None fields are left out


def test_an_unknown_log_format_is_refused() -> None:
    from renkei_sandbox.logs import configure_logging

    with pytest.raises(ValueError, match="json, text"):
        configure_logging(logging.INFO, "xml")
