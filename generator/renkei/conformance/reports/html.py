"""A self-contained HTML report (inline CSS, no scripts): pass/fail counts per operation, then one section per
check with its operations, and for each failure the message, the request as curl and the response."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from pathlib import Path

from jinja2 import Environment, select_autoescape

from renkei.conformance.results import CheckResult, Outcome, RunSummary

_TEMPLATE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>renkei conformance report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
td.n{text-align:right}
.passed{color:#176f2c}.failed{color:#b00020;font-weight:bold}.skipped{color:#777}
pre{background:#f5f5f5;padding:.5rem;white-space:pre-wrap;word-break:break-all;max-height:20rem;overflow:auto}
details{margin:.25rem 0 1rem}
</style></head><body>
<h1>renkei conformance report</h1>
<p>Target: <code>{{ target }}</code> &middot; {{ summary.test_cases }} schemathesis test cases
({{ "%.1f"|format(summary.cases_per_second) }}/s) &middot; {{ "%.1f"|format(summary.seconds) }} s in all &middot; {{ passed }} passed, {{ failed }} failed, {{ skipped }} skipped</p>
{% if summary.provider_stopped %}<p class="failed">PROVIDER STOPPED ANSWERING: {{ summary.provider_stopped }} (the results below are what ran before)</p>
{% else %}<p class="{{ 'failed' if failed else 'passed' }}">{{ 'FAILED' if failed else 'PASSED' }}</p>{% endif %}
{% for note in summary.notes %}<p>{{ note }}</p>{% endfor %}
<h2>Per operation</h2>
<table><tr><th>API</th><th>operation</th><th>passed</th><th>failed</th><th>skipped</th></tr>
{% for api, operation, c in per_operation %}
<tr><td>{{ api }}</td><td>{{ operation }}</td><td class="n passed">{{ c.passed }}</td>
<td class="n {{ 'failed' if c.failed else '' }}">{{ c.failed }}</td><td class="n skipped">{{ c.skipped }}</td></tr>
{% endfor %}
</table>
<h2>By check</h2>
{% for (suite, check), results, c in checks %}
<h3 id="{{ suite }}-{{ check }}">{{ check }} <small>({{ suite }})</small>: {{ c.passed }} passed, {{ c.failed }} failed, {{ c.skipped }} skipped</h3>
<table><tr><th>API</th><th>operation</th><th>result</th></tr>
{% for r in results %}
<tr><td>{{ r.api }}</td><td>{{ r.operation }}</td>
<td class="{{ r.outcome.value }}">{{ r.outcome.value }}{% if r.outcome.value != 'passed' and r.message %}: {{ r.message.splitlines()[0] }}{% endif %}</td></tr>
{% endfor %}
</table>
{% for r in results if r.outcome.value == 'failed' %}
<details open><summary class="failed">{{ r.api }} &middot; {{ r.operation }} &middot; {{ check }}</summary>
<pre>{{ r.message }}</pre>
{% for e in r.evidence %}
{% if e.curl %}<p>Request:</p><pre>{{ e.curl }}</pre>{% endif %}
{% if e.status is not none %}<p>Response: HTTP {{ e.status }}</p>
<pre>{% for k, v in e.headers.items() %}{{ k }}: {{ v }}
{% endfor %}
{{ e.body }}</pre>{% endif %}
{% endfor %}
</details>
{% endfor %}
{% endfor %}
</body></html>
"""


def _counts(results: list[CheckResult]) -> dict[str, int]:
    counted = Counter(r.outcome.value for r in results)
    return {o.value: counted.get(o.value, 0) for o in Outcome}


def html_report(summary: RunSummary, target: str) -> str:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    by_operation = sorted(summary.results, key=lambda r: (r.api, r.operation))
    per_operation = [
        (api, operation, _counts(list(group)))
        for (api, operation), group in groupby(by_operation, key=lambda r: (r.api, r.operation))
    ]
    by_check = sorted(
        summary.results, key=lambda r: (r.suite != "standard", r.suite, r.check, r.api, r.operation)
    )
    checks = []
    for key, group in groupby(by_check, key=lambda r: (r.suite, r.check)):
        results = list(group)
        checks.append((key, results, _counts(results)))
    totals = _counts(summary.results)
    return env.from_string(_TEMPLATE).render(
        summary=summary,
        target=target,
        per_operation=per_operation,
        checks=checks,
        passed=totals["passed"],
        failed=totals["failed"],
        skipped=totals["skipped"],
    )


def write_html(summary: RunSummary, target: str, path: Path) -> None:
    path.write_text(html_report(summary, target), encoding="utf-8")
