"""Helpers of the reference's tests: the repository's specs, a small spec written for the tests, and HTML
rows read back with the standard library's parser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from renkei.docs_site import build_site
from renkei.loading import load_spec

REPO = Path(__file__).resolve().parents[2]
SPECS = [REPO / "spec" / name for name in ("bank-inquiry.yaml", "bank-transfer.yaml", "card.yaml")]

SMALL_SPEC = """\
openapi: 3.1.0
info:
  title: 小さな API (small)
  version: 1.2.0
  summary: A document written for the reference's tests.
  description: |
    説明の一行目。折り返した
    日本語の行。
paths:
  /orders/{orderId}:
    get:
      operationId: getOrder
      summary: Get one order (注文照会)
      description: "注文を返します <script>alert(1)</script>"
      tags: [orders]
      security:
      - oauth2: [orders:read]
      parameters:
      - name: orderId
        in: path
        required: true
        x-jp-name: 注文番号
        description: 注文の番号。
        schema: {type: string, minLength: 8, maxLength: 8, pattern: '^[0-9]{8}$'}
        example: '00000001'
      - name: limit
        in: query
        schema: {type: integer, minimum: 1, maximum: 500, default: 100}
      responses:
        '200':
          description: 注文
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
              example: {orderId: '00000001', status: open, lines: [], buyer: {name: 山田}}
          links:
            Cancel:
              operationId: cancelOrder
              parameters: {orderId: $response.body#/orderId}
            Gone:
              operationId: noSuchOperation
        '404':
          description: 注文なし
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
              example: {errorCode: not_found, errorMessage: ありません}
  /orders/{orderId}/cancel:
    post:
      operationId: cancelOrder
      summary: Cancel (注文取消)
      tags: [orders]
      security:
      - oauth2: [orders:write]
      parameters:
      - name: orderId
        in: path
        required: true
        schema: {type: string}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [reason]
              properties:
                reason: {type: string, maxLength: 40, x-jp-name: 取消理由}
      responses:
        '204': {description: 取消済み}
components:
  securitySchemes:
    oauth2:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://example.invalid/token
          scopes: {orders:read: 注文の照会, orders:write: 注文の取消}
  schemas:
    Order:
      type: object
      x-jp-name: 注文
      description: 注文。
      required: [orderId, status, buyer]
      properties:
        orderId: {type: string, x-jp-name: 注文番号, minLength: 8, maxLength: 8}
        status: {$ref: '#/components/schemas/Status', x-jp-name: 注文状態, description: 状態です。}
        buyer:
          type: object
          x-jp-name: 購入者
          required: [name]
          properties:
            name: {type: string, x-jp-name: 購入者名, maxLength: 30}
            kana: {type: string, x-jp-name: 購入者名カナ, format: zengin-kana}
        lines:
          type: array
          x-jp-name: 明細
          maxItems: 99
          items: {$ref: '#/components/schemas/Line'}
        parent: {$ref: '#/components/schemas/Order', x-jp-name: 親注文}
    Line:
      type: object
      x-jp-name: 明細行
      required: [amount]
      properties:
        amount: {type: string, format: jpy-amount, x-jp-name: 金額, pattern: '^[0-9]+$', example: '1500'}
    Status:
      type: string
      x-jp-name: 注文状態
      enum: [open, closed]
      x-enum-jp-names: {open: 受付中, closed: 完了}
    Error:
      type: object
      x-jp-name: エラー応答
      required: [errorCode]
      properties:
        errorCode:
          type: string
          x-jp-name: エラーコード
          x-error-codes:
          - {code: not_found, status: 404, x-jp-name: 対象なし, description: 注文がありません。}
          - {code: invalid_request, status: 400, x-jp-name: 要求不正, description: 形式の誤り。}
        errorMessage: {type: string, x-jp-name: エラーメッセージ}
    Unused:
      type: boolean
"""


def small_spec(tmp_path: Path) -> Path:
    path = tmp_path / "small-api.yaml"
    path.write_text(SMALL_SPEC, encoding="utf-8")
    return path


def small_site(tmp_path: Path, console: str | None = None) -> dict[str, str]:
    return build_site([load_spec(small_spec(tmp_path))], console=console)


class _Rows(HTMLParser):
    """The cells (text) of every table row with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self._row: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "tr" and values.get("id"):
            self._row = values["id"]
            self.rows[self._row] = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row is not None and self._cell is not None:
            self.rows[self._row].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> dict[str, list[str]]:
    """row id -> [項目名, field, type, 必須, 桁数・形式, 説明] (as text)."""
    parser = _Rows()
    parser.feed(html)
    return parser.rows
