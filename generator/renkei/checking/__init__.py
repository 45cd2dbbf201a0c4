"""`renkei check`: OpenAPI validation plus the standard's rules (docs/rules.md).

Entry points: `renkei.checking.command.check_paths` (what `check` and `generate` both run),
`renkei.checking.checker.check_document` (one document, before configuration). This package's own
namespace imports nothing, so that importing `renkei.checking.findings` stays cheap.
"""
