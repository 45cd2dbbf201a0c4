"""Read real ids from the deployment (accounts, transfers, cards, statements) with the run's token."""

from __future__ import annotations

from typing import Any

import httpx

from renkei.conformance.target import KnownData, Target


def _items(client: httpx.Client, url: str, key: str) -> list[dict[str, Any]]:
    try:
        response = client.get(url, params={"limit": 100})
    except httpx.HTTPError:
        return []
    if response.status_code != 200:
        return []
    body = response.json()
    items = body.get(key) if isinstance(body, dict) else None
    return [item for item in items or [] if isinstance(item, dict)]


def discover(client: httpx.Client, root: str, target: Target) -> KnownData:
    """`client` carries the token; `root` is the API root (`.../v2`). Missing data leaves lists empty."""
    known = KnownData()
    if target.bank_code:
        bank = f"{root}/banks/{target.bank_code}"
        accounts = _items(client, f"{bank}/accounts", "accounts")
        known.account_ids = [str(a["accountId"]) for a in accounts if "accountId" in a]
        known.deposit_account_ids = [
            str(a["accountId"])
            for a in accounts
            if a.get("accountCategory") == "deposit" and "accountId" in a
        ]
        transfers = _items(client, f"{bank}/transfers", "transfers")
        known.transfer_ids = [str(t["transferId"]) for t in transfers if "transferId" in t]
    cards = _items(client, f"{root}/cards", "cards")
    known.card_ids = [str(c["cardId"]) for c in cards if "cardId" in c]
    if known.card_ids:
        statements = _items(client, f"{root}/cards/{known.card_ids[0]}/statements", "statements")
        known.billing_months = [str(s["billingMonth"]) for s in statements if "billingMonth" in s]
    return known
