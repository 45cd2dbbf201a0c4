"""JUnit XML and HTML reports carry per-operation, per-check results with the failing request and response."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx

from renkei.conformance.curl import as_curl
from renkei.conformance.reports.html import html_report
from renkei.conformance.reports.junit import junit_xml
from renkei.conformance.results import CheckResult, Evidence, Outcome, RunSummary


def _summary() -> RunSummary:
    evidence = Evidence(
        curl="curl -X GET 'http://127.0.0.1:1/v1/cards?x=<script>'",
        status=500,
        headers={"content-type": "application/json"},
        body='{"errorCode":"server_error"}',
    )
    return RunSummary(
        results=[
            CheckResult(
                "card",
                "listCards",
                "not_a_server_error",
                "schemathesis",
                Outcome.failed,
                "Server error",
                (evidence,),
            ),
            CheckResult("card", "getCard", "interaction-id", "standard", Outcome.passed),
            CheckResult(
                "bank-transfer", "createTransfer", "idempotency", "standard", Outcome.skipped, "no account"
            ),
        ],
        test_cases=10,
        seconds=2.0,
    )


def test_junit_counts_and_failure_text() -> None:
    root = ET.fromstring(junit_xml(_summary()))
    suites = {suite.get("name"): suite for suite in root}
    assert suites["card"].get("tests") == "2" and suites["card"].get("failures") == "1"
    assert suites["bank-transfer"].get("skipped") == "1"
    failure = root.find(".//testcase[@classname='card.listCards']/failure")
    assert failure is not None and failure.text is not None
    assert "curl -X GET" in failure.text and "HTTP 500" in failure.text


def test_html_is_self_contained_and_escaped() -> None:
    page = html_report(_summary(), "http://127.0.0.1:1")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<link" not in page and "src=" not in page
    assert "listCards" in page and "not_a_server_error" in page and "server_error" in page
    assert "FAILED" in page


def test_exit_code_follows_failures() -> None:
    summary = _summary()
    assert summary.exit_code == 1
    summary.results = [r for r in summary.results if r.outcome is not Outcome.failed]
    assert summary.exit_code == 0


def test_curl_masks_the_token() -> None:
    request = httpx.Request(
        "POST", "http://h/v1/x", headers={"Authorization": "Bearer secret"}, json={"a": 1}
    )
    command = as_curl(request)
    assert "secret" not in command and "Bearer [masked]" in command and '{"a":1}' in command.replace(" ", "")


def test_curl_masks_secrets_by_name_and_nothing_else() -> None:
    request = httpx.Request(
        "POST",
        "http://h/v1/banks/2963/transfers",
        headers={
            "Authorization": "DPoP tok",
            "DPoP": "eyJ.proof",
            "Cookie": "session=abc",
            "Idempotency-Key": "key-123",
            "x-fapi-interaction-id": "93bac548-d2de-4546-b106-880a5018460d",
        },
        json={"applyComment": "11月分家賃", "client_secret": "nope"},
    )
    command = as_curl(request)
    assert "DPoP [masked]" in command and "eyJ.proof" not in command and "abc" not in command
    assert "Idempotency-Key: key-123" in command and "93bac548-d2de-4546-b106-880a5018460d" in command
    assert "11月分家賃" in command and "\\u" not in command and "nope" not in command


def test_form_secrets_and_schemathesis_curls_are_remasked() -> None:
    from renkei.conformance.curl import remask_curl

    request = httpx.Request(
        "POST",
        "http://h/oauth/token",
        data={"grant_type": "authorization_code", "client_assertion": "eyJ.a.b", "code": "c1"},
    )
    command = as_curl(request)
    assert "eyJ.a.b" not in command and "code=c1" in command
    theirs = (
        "curl -X POST -H 'Authorization: Bearer t0k' -H 'Idempotency-Key: abc' "
        '-d \'{"remarks": "\\u7d66\\u4e0e"}\' http://h/v1/x'
    )
    ours = remask_curl(theirs)
    assert "t0k" not in ours and "Bearer [masked]" in ours and "Idempotency-Key: abc" in ours
    assert "給与" in ours


def test_html_groups_by_check_with_counts_per_operation() -> None:
    summary = _summary()
    summary.results.append(CheckResult("card", "listCards", "interaction-id", "standard", Outcome.passed))
    page = html_report(summary, "http://127.0.0.1:1")
    assert "<h2>Per operation</h2>" in page and "<h2>By check</h2>" in page
    assert 'id="standard-interaction-id">interaction-id <small>(standard)</small>: 2 passed, 0 failed' in page
    assert "not_a_server_error <small>(schemathesis)</small>: 0 passed, 1 failed, 0 skipped" in page
    row = page.split("<td>listCards</td>", 1)[1].split("</tr>", 1)[0]
    assert '"n passed">1<' in row and '"n failed">1<' in row
