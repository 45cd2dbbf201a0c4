"""Every rule `renkei check` reports, in both languages: the loading and structure rules (fixed: always
errors, never configurable) and the registered rules (docs/rules.md, SARIF's rule list, `--list-rules`)."""

from __future__ import annotations

from dataclasses import dataclass

from renkei.checking.findings import Severity
from renkei.checking.rules import all_rules
from renkei.loading.text import Text

__all__ = ["FIXED_RULES", "CatalogueEntry", "catalogue"]


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    severity: Severity
    group: str  # "loading", "structure", "semantic" or "guideline"
    description: Text


FIXED_RULES: tuple[CatalogueEntry, ...] = tuple(
    CatalogueEntry(rule_id, Severity.ERROR, group, Text(en, ja))
    for rule_id, group, en, ja in (
        (
            "file-missing",
            "loading",
            "the document given on the command line exists",
            "指定した文書が存在する",
        ),
        (
            "file-unreadable",
            "loading",
            "the path is a readable file (not a directory, permissions)",
            "パスが読めるファイルである (ディレクトリではない、権限がある)",
        ),
        (
            "yaml-syntax",
            "loading",
            "the file is UTF-8 YAML that parses; hints for unquoted `: `, full-width `：` and spaces, tabs"
            " and indentation",
            "ファイルが UTF-8 の正しい YAML である。引用符のない `: `、全角の「：」や空白、タブ、インデントの"
            "誤りにはヒントを示す",
        ),
        ("yaml-duplicate-key", "loading", "no mapping repeats a key", "マッピングのキーが重複していない"),
        (
            "document-not-mapping",
            "loading",
            "the document (and `components`) is a mapping",
            "文書 (と `components`) がマッピングである",
        ),
        (
            "ref-unresolvable",
            "loading",
            "every `$ref` names an existing file and a JSON pointer that exists in it",
            "すべての `$ref` が存在するファイルと、その中に存在する JSON ポインタを指す",
        ),
        (
            "ref-cycle",
            "loading",
            "no chain of pure `$ref`s comes back to itself",
            "`$ref` だけの連鎖が循環していない",
        ),
        ("ref-remote", "loading", "no `$ref` to http(s)://", "http(s):// への `$ref` がない"),
        (
            "ref-name-clash",
            "loading",
            "two different components are not bundled under the same name",
            "異なるコンポーネントが同じ名前でまとめられていない",
        ),
        (
            "load-failed",
            "loading",
            "(should never happen) an unexpected failure inside the loader",
            "(起きないはずの) 読み込み処理内部の予期しない失敗",
        ),
        (
            "openapi-schema",
            "structure",
            "the bundled document is valid OpenAPI for its version: the meta-schema, every schema object"
            " against the schema dialect, path parameters, unique parameters and tags",
            "まとめた文書がそのバージョンの OpenAPI として正しい: メタスキーマ、各スキーマオブジェクトの"
            "方言への適合、パスパラメータ、パラメータとタグの一意性",
        ),
    )
)


def catalogue() -> list[CatalogueEntry]:
    """The fixed rules, then the registered ones (in registration order)."""
    registered = [
        CatalogueEntry(rule.id, rule.severity, rule.group, rule.description) for rule in all_rules()
    ]
    return [*FIXED_RULES, *registered]
