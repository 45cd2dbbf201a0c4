"""Mount the three generated APIs (under /v2) over the sandbox's service implementations.

Their routes go into one `OperationRouter` mounted at /v2, not through FastAPI's `include_router`, which
rebuilds each route as a plain Starlette route: the operation routes keep their own matching (a path
parameter may hold an encoded `/`) and are found through one regex of all of them."""

from __future__ import annotations

from fastapi import FastAPI

from renkei_bank_inquiry import server as bank_inquiry_server
from renkei_bank_transfer import server as bank_transfer_server
from renkei_card import server as card_server
from renkei_runtime.fastapi import install_error_handlers
from renkei_runtime.server import OperationRouter
from renkei_sandbox.api.bank_inquiry import BankInquiryAdapter
from renkei_sandbox.api.bank_transfer import BankTransferAdapter
from renkei_sandbox.api.card import CardAdapter
from renkei_sandbox.api.verifier import SandboxTokenVerifier
from renkei_sandbox.config import Settings
from renkei_sandbox.db.engine import Database

API_PREFIX = "/v2"


def include_generated_routers(app: FastAPI, db: Database, settings: Settings) -> None:
    """`settings.today` gives the business date in JST (the date window and transfer rules depend on it);
    `settings.max_body_size` limits request bodies, `settings.rate_limits` name inquiries and fee checks."""
    today = settings.today
    verifier = SandboxTokenVerifier(db, settings)
    inquiry = BankInquiryAdapter(db, today)
    transfer = BankTransferAdapter(db, today, settings.rate_limits)
    card = CardAdapter(db, today)
    limit = settings.max_body_size
    routes = [
        *bank_inquiry_server.routes(inquiry, verifier, max_body_size=limit),
        *bank_transfer_server.routes(transfer, verifier, max_body_size=limit),
        *card_server.routes(card, verifier, max_body_size=limit),
    ]
    app.mount(API_PREFIX, OperationRouter(routes=routes))
    install_error_handlers(app)
