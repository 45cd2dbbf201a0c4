"""The reference's pages as a reader sees them: Japanese item names, required marks, formats, nesting,
error codes, scopes, examples, links between pages, escaping."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docs_support import SPECS, small_site, small_spec, table_rows

from renkei.docs_site import build_site
from renkei.loading import load_spec


def test_the_three_apis_have_every_page(tmp_path: Path) -> None:
    pages = build_site([load_spec(path) for path in SPECS])
    assert "index.html" in pages and "search-index.json" in pages and "assets/search.js" in pages
    for slug, operations in {"bank-inquiry": 8, "bank-transfer": 7, "card": 10}.items():
        assert f"{slug}/index.html" in pages and f"{slug}/openapi.json" in pages
        assert len([path for path in pages if path.startswith(f"{slug}/operations/")]) == operations
    assert json.loads(pages["bank-inquiry/openapi.json"])["info"]["version"] == "2.0.0"


def test_an_operation_shows_its_items_in_the_spec_sheet_view() -> None:
    pages = build_site([load_spec(SPECS[1])])
    page = pages["bank-transfer/operations/createTransfer.html"]
    for heading in ("項目名", "項目 (field)", "型 (type)", "必須", "桁数・形式", "説明"):
        assert f">{heading}</th>" in page
    rows = table_rows(page)
    amount = rows["req-f-transferAmount"]
    assert amount[0] == "振込金額" and amount[1] == "transferAmount" and amount[3] == "○"
    assert "string" in amount[2] and "JpyAmount" in amount[2]
    assert "桁数: 1〜10文字" in amount[4] and "形式: positive-jpy-amount" in amount[4]
    assert "パターン: ^[1-9][0-9]{0,9}$" in amount[4]
    nested = rows["req-f-beneficiary-accountNumber"]
    assert nested[0] == "口座番号" and nested[3] == "○" and "桁数: 7文字" in nested[4]
    assert 'class="d1"' in page.split('id="req-f-beneficiary-accountNumber"')[1][:20]
    optional = rows["req-f-applyComment"]
    assert optional[3] == ""  # not required: no mark
    key = rows["param-f-header-Idempotency-Key"]
    assert key[1].startswith("Idempotency-Key") and "header" in key[1] and key[3] == "○"


def test_errors_scopes_examples_and_links(tmp_path: Path) -> None:
    pages = small_site(tmp_path)
    page = pages["small-api/operations/getOrder.html"]
    assert "<code>orders:read</code>" in page and "注文の照会" in page
    errors = table_rows(page)["error-404"]
    assert errors[0] == "404" and errors[1] == "not_found 404 のコード一覧 (1)" and "Error" in errors[3]
    assert 'href="../../small-api/index.html#error-codes-404">404 のコード一覧 (1)</a>' in page
    assert '"orderId": "00000001"' in html.unescape(page)  # the response example, indented JSON
    assert (
        'href="../../small-api/operations/cancelOrder.html">cancelOrder</a>' in page
    )  # an OpenAPI link to the other operation
    assert '<code>noSuchOperation</code> <span class="badge missing">' in page
    assert 'href="../../small-api/schemas/Order.html"' in page
    cancel = pages["small-api/operations/cancelOrder.html"]
    reason = table_rows(cancel)["req-f-reason"]
    assert reason == ["取消理由", "reason", "string", "○", "桁数: 最大40文字", ""]
    assert "○ 必須" in cancel  # the body is required


def test_the_error_code_catalogue_is_listed_by_status(tmp_path: Path) -> None:
    pages = small_site(tmp_path)
    api_page = pages["small-api/index.html"]
    rows = table_rows(api_page)
    assert rows["error-code-invalid_request"] == ["invalid_request", "400", "要求不正", "形式の誤り。"]
    assert rows["error-code-not_found"] == ["not_found", "404", "対象なし", "注文がありません。"]
    assert api_page.index('id="error-codes-400"') < api_page.index('id="error-codes-404"')
    assert 'id="error-code-not_found"' in pages["small-api/schemas/Error.html"]
    entries = json.loads(pages["search-index.json"])["entries"]
    found = [entry for entry in entries if entry["kind"] == "error"]
    assert [entry["title"] for entry in found] == ["not_found (対象なし)", "invalid_request (要求不正)"]
    assert found[0]["url"] == "small-api/index.html#error-code-not_found"


def test_parameters_constraints_enum_and_defaults(tmp_path: Path) -> None:
    page = small_site(tmp_path)["small-api/operations/getOrder.html"]
    rows = table_rows(page)
    order_id = rows["param-f-path-orderId"]
    assert order_id[0] == "注文番号" and order_id[3] == "○"
    assert "桁数: 8文字" in order_id[4] and "例: 00000001" in order_id[4]
    limit = rows["param-f-query-limit"]
    assert limit[3] == "" and "範囲: 1以上・500以下" in limit[4] and "省略時: 100" in limit[4]
    status = rows["res200-f-status"]
    assert status[0] == "注文状態" and "open 受付中" in status[4] and "closed 完了" in status[4]
    assert "状態です。" in status[5]  # the property's own description wins over the schema's


def test_nested_objects_arrays_and_recursion_are_flattened(tmp_path: Path) -> None:
    pages = small_site(tmp_path)
    schema_page = pages["small-api/schemas/Order.html"]
    rows = table_rows(schema_page)
    assert list(rows) == [
        "f-orderId",
        "f-status",
        "f-buyer",
        "f-buyer-name",
        "f-buyer-kana",
        "f-lines",
        "f-lines-items-amount",
        "f-parent",
    ]
    assert rows["f-lines"][2].startswith("array of Line") and "件数: 最大99件" in rows["f-lines"][4]
    assert rows["f-lines-items-amount"][0] == "金額" and rows["f-lines-items-amount"][3] == "○"
    assert rows["f-buyer-kana"][3] == "" and "形式: zengin-kana" in rows["f-buyer-kana"][4]
    assert "内訳は Order を参照" in rows["f-parent"][5]  # the recursive item links instead of looping
    assert 'href="../../small-api/operations/getOrder.html">getOrder</a>' in schema_page  # used by
    assert "どの操作からも使われていません" in pages["small-api/schemas/Unused.html"]
    status_page = pages["small-api/schemas/Status.html"]
    assert "<code>open</code></td><td>受付中</td>" in status_page and "受付中" in status_page
    line_page = pages["small-api/schemas/Line.html"]
    assert 'href="../../small-api/schemas/Order.html">Order</a>' in line_page  # used by Order


def test_a_scalar_schema_page_shows_its_format_and_example() -> None:
    page = build_site([load_spec(SPECS[0])])["bank-inquiry/schemas/BankCode.html"]
    assert "金融機関コード" in page and "<li>桁数: 4文字</li>" in page
    assert "<li>形式: <code>bank-code</code></li>" in page and "<li>例: <code>2963</code></li>" in page
    assert "listAccounts" in page  # used by (through the bankCode parameter)


def test_descriptions_are_markdown_with_html_escaped(tmp_path: Path) -> None:
    pages = small_site(tmp_path)
    page = pages["small-api/operations/getOrder.html"]
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "折り返した日本語の行。" in pages["small-api/index.html"]  # the YAML wrap is not a space


def test_the_console_link_is_relative_and_deep(tmp_path: Path) -> None:
    pages = small_site(tmp_path, console="console/{api}")
    assert 'href="../../console/small-api#/orders/getOrder"' in pages["small-api/operations/getOrder.html"]
    assert "try-it" not in small_site(tmp_path)["small-api/operations/getOrder.html"]


def test_no_network_every_reference_is_relative() -> None:
    pages = build_site([load_spec(path) for path in SPECS])
    for path, text in pages.items():
        if path.endswith(".html"):
            for url in re.findall(r'(?:src|href)="([^"]*)"', text):
                assert not re.match(r"^(?:[a-z]+:)?//", url), (path, url)
    assert 'fetch(root + "search-index.json")' in pages["assets/search.js"]


def test_the_search_index_finds_operations_schemas_and_items(tmp_path: Path) -> None:
    pages = small_site(tmp_path)
    index = json.loads(pages["search-index.json"])
    by_url = {entry["url"]: entry for entry in index["entries"]}
    operation = by_url["small-api/operations/getOrder.html"]
    assert operation["kind"] == "operation" and "getOrder" in operation["terms"]
    assert "注文番号" in operation["terms"] and "orders:read" in operation["terms"]
    assert by_url["small-api/schemas/Order.html#f-buyer-name"]["title"] == "購入者名 (buyer.name)"
    assert pages["search-index.js"] == f"window.renkeiSearchIndex = {pages['search-index.json'].strip()};\n"


def test_long_or_unusual_names_get_short_distinct_file_names(tmp_path: Path) -> None:
    long_name = "FinancialInstitution" * 20
    spec = small_spec(tmp_path)
    text = spec.read_text(encoding="utf-8").replace("    Unused:\n", f"    {long_name}:\n")
    spec.write_text(text + "    a b:\n      type: string\n    a_b:\n      type: string\n", encoding="utf-8")
    pages = build_site([load_spec(spec)])
    schema_pages = [path for path in pages if path.startswith("small-api/schemas/")]
    assert "small-api/schemas/a_b.html" in schema_pages and len(schema_pages) == 7
    assert all(len(path.rsplit("/", 1)[1]) <= 100 for path in schema_pages)
    api_page = pages["small-api/index.html"]
    for path in schema_pages:
        assert f'href="../{path}"' in api_page


def test_building_twice_gives_the_same_bytes() -> None:
    first = build_site([load_spec(path) for path in SPECS])
    second = build_site([load_spec(path) for path in SPECS])
    assert first == second
