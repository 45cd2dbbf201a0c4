"""Scopes per data cluster (docs/spec-conventions.md), with their plain-Japanese descriptions."""

from __future__ import annotations

BANK_SCOPES: dict[str, str] = {
    "accounts:read": "口座情報の照会",
    "balances:read": "残高の照会",
    "transactions:read": "入出金明細の照会",
    "transfers:read": "振込状況の照会",
    "transfers:write": "振込の依頼",
    "transfers:cancel": "振込の取消",
    "transfer-fees:read": "振込手数料の照会",
    "payee-names:read": "受取人名の確認",
}
"""`transfer-fees:read` and `payee-names:read` are reads without payment rights, `transfers:cancel` is asked
for only by an app that cancels (D10: consent as narrow as the app's purpose)."""
CARD_SCOPES: dict[str, str] = {
    "cards:read": "カード情報・利用可能額の照会",
    "card-statements:read": "ご請求情報の照会",
    "card-transactions:read": "カード利用明細の照会",
    "card-points:read": "ポイントの照会",
}
ALL_SCOPES: dict[str, str] = {**BANK_SCOPES, **CARD_SCOPES}


def parse_scope(value: str | None) -> list[str] | None:
    """The requested scopes in declaration order, or None when empty or any scope is unknown."""
    requested = set((value or "").split())
    if not requested or not requested <= ALL_SCOPES.keys():
        return None
    return [scope for scope in ALL_SCOPES if scope in requested]


def wants_bank_data(scopes: list[str]) -> bool:
    return any(scope in BANK_SCOPES for scope in scopes)


def wants_card_data(scopes: list[str]) -> bool:
    return any(scope in CARD_SCOPES for scope in scopes)
