"""A self-contained HTML report (inline CSS, no scripts): per API, per operation and per check."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from jinja2 import Environment, select_autoescape

from renkei.conformance.results import Outcome, RunSummary

_TEMPLATE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>renkei conformance report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
.passed{color:#176f2c}.failed{color:#b00020;font-weight:bold}.skipped{color:#777}
pre{background:#f5f5f5;padding:.5rem;white-space:pre-wrap;word-break:break-all;max-height:20rem;overflow:auto}
details{margin:.25rem 0 1rem}
</style></head><body>
<h1>renkei conformance report</h1>
<p>Target: <code>{{ target }}</code> &middot; {{ summary.test_cases }} schemathesis test cases
({{ "%.1f"|format(summary.cases_per_second) }}/s) &middot; {{ "%.1f"|format(summary.seconds) }} s in all &middot; {{ passed }} passed, {{ failed }} failed, {{ skipped }} skipped</p>
<p class="{{ 'failed' if failed else 'passed' }}">{{ 'FAILED' if failed else 'PASSED' }}</p>
{% for note in summary.notes %}<p>{{ note }}</p>{% endfor %}
{% for api, operations in apis %}
<h2>{{ api }}</h2>
<table><tr><th>operation</th><th>check</th><th>suite</th><th>result</th></tr>
{% for operation, results in operations %}{% for r in results %}
<tr><td>{{ operation }}</td><td>{{ r.check }}</td><td>{{ r.suite }}</td>
<td class="{{ r.outcome.value }}">{{ r.outcome.value }}{% if r.outcome.value == 'skipped' %} ({{ r.message }}){% endif %}</td></tr>
{% endfor %}{% endfor %}
</table>
{% for operation, results in operations %}{% for r in results if r.outcome.value == 'failed' %}
<details open><summary class="failed">{{ api }} &middot; {{ operation }} &middot; {{ r.check }}</summary>
<pre>{{ r.message }}</pre>
{% for e in r.evidence %}
{% if e.curl %}<p>Request:</p><pre>{{ e.curl }}</pre>{% endif %}
{% if e.status is not none %}<p>Response: HTTP {{ e.status }}</p>
<pre>{% for k, v in e.headers.items() %}{{ k }}: {{ v }}
{% endfor %}
{{ e.body }}</pre>{% endif %}
{% endfor %}
</details>
{% endfor %}{% endfor %}
{% endfor %}
</body></html>
"""


def html_report(summary: RunSummary, target: str) -> str:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    ordered = sorted(summary.results, key=lambda r: (r.api, r.operation, r.suite, r.check))
    apis = [
        (api, [(op, list(rs)) for op, rs in groupby(list(group), key=lambda r: r.operation)])
        for api, group in groupby(ordered, key=lambda r: r.api)
    ]
    counts = {o: sum(r.outcome is o for r in summary.results) for o in Outcome}
    return env.from_string(_TEMPLATE).render(
        summary=summary,
        target=target,
        apis=apis,
        passed=counts[Outcome.passed],
        failed=counts[Outcome.failed],
        skipped=counts[Outcome.skipped],
    )


def write_html(summary: RunSummary, target: str, path: Path) -> None:
    path.write_text(html_report(summary, target), encoding="utf-8")
