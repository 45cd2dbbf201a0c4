"""Mount the three generated routers (under /v1) over the sandbox's service implementations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI

from generated.bank_inquiry import server as bank_inquiry_server
from generated.bank_transfer import server as bank_transfer_server
from generated.card import server as card_server
from generator.runtime.server import install_error_handlers
from sandbox.api.bank_inquiry import BankInquiryAdapter
from sandbox.api.bank_transfer import BankTransferAdapter
from sandbox.api.card import CardAdapter
from sandbox.api.verifier import SandboxTokenVerifier
from sandbox.db.engine import Database

API_PREFIX = "/v1"


def include_generated_routers(app: FastAPI, db: Database, today: Callable[[], date]) -> None:
    """`today` gives the business date in JST (the date window and transfer rules depend on it)."""
    verifier = SandboxTokenVerifier(db)
    inquiry = BankInquiryAdapter(db, today)
    transfer = BankTransferAdapter(db, today)
    card = CardAdapter(db, today)
    app.include_router(bank_inquiry_server.create_router(inquiry, verifier, prefix=API_PREFIX))
    app.include_router(bank_transfer_server.create_router(transfer, verifier, prefix=API_PREFIX))
    app.include_router(card_server.create_router(card, verifier, prefix=API_PREFIX))
    install_error_handlers(app)
