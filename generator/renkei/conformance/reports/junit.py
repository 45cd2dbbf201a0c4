"""JUnit XML: one test suite per API, one test case per (operation, check)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby
from pathlib import Path

from renkei.conformance.results import CheckResult, Outcome, RunSummary


def _failure_text(result: CheckResult) -> str:
    parts = [result.message]
    for evidence in result.evidence:
        parts.append(evidence.curl)
        if evidence.status is not None:
            parts.append(f"-> HTTP {evidence.status}\n{evidence.body}")
    return "\n\n".join(p for p in parts if p)


def junit_xml(summary: RunSummary) -> bytes:
    root = ET.Element("testsuites", name="renkei conformance", time=f"{summary.seconds:.3f}")
    ordered = sorted(summary.results, key=lambda r: r.api)
    for api, group in groupby(ordered, key=lambda r: r.api):
        results = list(group)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=api,
            tests=str(len(results)),
            failures=str(sum(r.outcome is Outcome.failed for r in results)),
            skipped=str(sum(r.outcome is Outcome.skipped for r in results)),
            errors="0",
        )
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{api}.{result.operation}",
                name=f"{result.suite}:{result.check}",
            )
            if result.outcome is Outcome.failed:
                failure = ET.SubElement(case, "failure", message=result.message.splitlines()[0][:300])
                failure.text = _failure_text(result)
            elif result.outcome is Outcome.skipped:
                ET.SubElement(case, "skipped", message=result.message)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def write_junit(summary: RunSummary, path: Path) -> None:
    path.write_bytes(junit_xml(summary))
