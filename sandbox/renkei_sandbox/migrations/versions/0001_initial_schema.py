"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""

    op.create_table(
        "banks",
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_kana", sa.String(length=30), nullable=False),
        sa.Column("is_federation", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_banks")),
    )
    op.create_table(
        "oauth_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=True),
        sa.Column("redirect_uris", sa.JSON(), nullable=False),
        sa.Column("token_endpoint_auth_method", sa.String(length=32), nullable=False),
        sa.Column("jwks", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_clients")),
        sa.UniqueConstraint("client_id", name=op.f("uq_oauth_clients_client_id")),
    )
    op.create_table(
        "authorization_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(length=64), nullable=False),
        sa.Column("request_uri", sa.String(length=120), nullable=True),
        sa.Column("client_pk", sa.Integer(), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=True),
        sa.Column("code_challenge", sa.String(length=128), nullable=False),
        sa.Column("bank_code", sa.String(length=4), nullable=True),
        sa.Column("dpop_jkt", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_pk"],
            ["oauth_clients.id"],
            name=op.f("fk_authorization_requests_client_pk_oauth_clients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorization_requests")),
        sa.UniqueConstraint("handle", name=op.f("uq_authorization_requests_handle")),
        sa.UniqueConstraint("request_uri", name=op.f("uq_authorization_requests_request_uri")),
    )
    op.create_table(
        "branches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_code", sa.String(length=4), nullable=False),
        sa.Column("branch_code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_kana", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(["bank_code"], ["banks.code"], name=op.f("fk_branches_bank_code_banks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_branches")),
        sa.UniqueConstraint("bank_code", "branch_code", name=op.f("uq_branches_bank_code_branch_code")),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_code", sa.String(length=4), nullable=False),
        sa.Column("login_id", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_kana", sa.String(length=48), nullable=False),
        sa.ForeignKeyConstraint(["bank_code"], ["banks.code"], name=op.f("fk_customers_bank_code_banks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("login_id", name=op.f("uq_customers_login_id")),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customers_bank_code"), ["bank_code"], unique=False)

    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=29), nullable=False),
        sa.Column("bank_code", sa.String(length=4), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("deposit_type", sa.String(length=1), nullable=False),
        sa.Column("account_number", sa.String(length=7), nullable=False),
        sa.Column("holder_name_kana", sa.String(length=48), nullable=False),
        sa.Column("nickname", sa.String(length=60), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.Column("credit_limit", sa.BigInteger(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["bank_code"], ["banks.code"], name=op.f("fk_accounts_bank_code_banks")),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"], name=op.f("fk_accounts_branch_id_branches")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_accounts_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("account_id", name=op.f("uq_accounts_account_id")),
        sa.UniqueConstraint(
            "branch_id",
            "deposit_type",
            "account_number",
            name=op.f("uq_accounts_branch_id_deposit_type_account_number"),
        ),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_bank_code"), ["bank_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "card_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_number", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_card_members_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_members")),
        sa.UniqueConstraint("customer_id", name=op.f("uq_card_members_customer_id")),
        sa.UniqueConstraint("member_number", name=op.f("uq_card_members_member_number")),
    )
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("client_pk", sa.Integer(), nullable=False),
        sa.Column("bank_code", sa.String(length=4), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["bank_code"], ["banks.code"], name=op.f("fk_grants_bank_code_banks")),
        sa.ForeignKeyConstraint(
            ["client_pk"], ["oauth_clients.id"], name=op.f("fk_grants_client_pk_oauth_clients")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_grants_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants")),
        sa.UniqueConstraint("grant_id", name=op.f("uq_grants_grant_id")),
    )
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grants_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_web_sessions_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("session_hash", name=op.f("uq_web_sessions_session_hash")),
    )
    op.create_table(
        "authorization_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("client_pk", sa.Integer(), nullable=False),
        sa.Column("grant_pk", sa.Integer(), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("code_challenge", sa.String(length=128), nullable=False),
        sa.Column("dpop_jkt", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_pk"], ["oauth_clients.id"], name=op.f("fk_authorization_codes_client_pk_oauth_clients")
        ),
        sa.ForeignKeyConstraint(
            ["grant_pk"], ["grants.id"], name=op.f("fk_authorization_codes_grant_pk_grants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorization_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_authorization_codes_code_hash")),
    )
    op.create_table(
        "cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.String(length=29), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("card_name", sa.String(length=60), nullable=False),
        sa.Column("brand", sa.String(length=16), nullable=False),
        sa.Column("masked_number", sa.String(length=19), nullable=False),
        sa.Column("is_family_card", sa.Boolean(), nullable=False),
        sa.Column("expires", sa.String(length=7), nullable=False),
        sa.Column("credit_limit", sa.BigInteger(), nullable=False),
        sa.Column("cash_advance_limit", sa.BigInteger(), nullable=False),
        sa.Column("closing_day", sa.Integer(), nullable=False),
        sa.Column("payment_day", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["card_members.id"], name=op.f("fk_cards_member_id_card_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cards")),
        sa.UniqueConstraint("card_id", name=op.f("uq_cards_card_id")),
    )
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cards_member_id"), ["member_id"], unique=False)

    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("grant_pk", sa.Integer(), nullable=False),
        sa.Column("client_pk", sa.Integer(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("cnf_jkt", sa.String(length=64), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_pk"], ["oauth_clients.id"], name=op.f("fk_tokens_client_pk_oauth_clients")
        ),
        sa.ForeignKeyConstraint(["grant_pk"], ["grants.id"], name=op.f("fk_tokens_grant_pk_grants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_tokens_token_hash")),
    )
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tokens_grant_pk"), ["grant_pk"], unique=False)

    op.create_table(
        "transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.String(length=32), nullable=False),
        sa.Column("account_pk", sa.Integer(), nullable=False),
        sa.Column("transaction_date", sa.Date(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=False),
        sa.Column("transaction_type", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("balance_after", sa.BigInteger(), nullable=False),
        sa.Column("remarks", sa.String(length=48), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_pk"], ["accounts.id"], name=op.f("fk_transactions_account_pk_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transactions")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_transactions_transaction_id")),
    )
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_transactions_account_date_id",
            ["account_pk", "transaction_date", "transaction_id"],
            unique=False,
        )

    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.String(length=32), nullable=False),
        sa.Column("bank_code", sa.String(length=4), nullable=False),
        sa.Column("client_pk", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("payer_account_pk", sa.Integer(), nullable=False),
        sa.Column("payee_bank_code", sa.String(length=4), nullable=False),
        sa.Column("payee_branch_code", sa.String(length=3), nullable=False),
        sa.Column("payee_deposit_type", sa.String(length=1), nullable=False),
        sa.Column("payee_account_number", sa.String(length=7), nullable=False),
        sa.Column("payee_name_kana", sa.String(length=48), nullable=False),
        sa.Column("payee_account_pk", sa.Integer(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("transfer_date", sa.Date(), nullable=False),
        sa.Column("remitter_name_kana", sa.String(length=48), nullable=False),
        sa.Column("edi_info", sa.String(length=20), nullable=True),
        sa.Column("apply_comment", sa.String(length=100), nullable=True),
        sa.Column("holiday_code", sa.String(length=1), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("failure_reason", sa.String(length=100), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("executed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["bank_code"], ["banks.code"], name=op.f("fk_transfers_bank_code_banks")),
        sa.ForeignKeyConstraint(
            ["client_pk"], ["oauth_clients.id"], name=op.f("fk_transfers_client_pk_oauth_clients")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_transfers_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["payee_account_pk"], ["accounts.id"], name=op.f("fk_transfers_payee_account_pk_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["payer_account_pk"], ["accounts.id"], name=op.f("fk_transfers_payer_account_pk_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
        sa.UniqueConstraint("transfer_id", name=op.f("uq_transfers_transfer_id")),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_transfers_customer_accepted", ["customer_id", "accepted_on", "transfer_id"], unique=False
        )

    op.create_table(
        "card_usages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("usage_id", sa.String(length=32), nullable=False),
        sa.Column("card_pk", sa.Integer(), nullable=False),
        sa.Column("used_on", sa.Date(), nullable=False),
        sa.Column("merchant", sa.String(length=60), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("payment_method", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("billing_month", sa.String(length=7), nullable=True),
        sa.ForeignKeyConstraint(["card_pk"], ["cards.id"], name=op.f("fk_card_usages_card_pk_cards")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_usages")),
        sa.UniqueConstraint("usage_id", name=op.f("uq_card_usages_usage_id")),
    )
    with op.batch_alter_table("card_usages", schema=None) as batch_op:
        batch_op.create_index("ix_card_usages_card_date_id", ["card_pk", "used_on", "usage_id"], unique=False)

    op.create_table(
        "grant_resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_pk", sa.Integer(), nullable=False),
        sa.Column("account_pk", sa.Integer(), nullable=True),
        sa.Column("card_pk", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_pk"], ["accounts.id"], name=op.f("fk_grant_resources_account_pk_accounts")
        ),
        sa.ForeignKeyConstraint(["card_pk"], ["cards.id"], name=op.f("fk_grant_resources_card_pk_cards")),
        sa.ForeignKeyConstraint(["grant_pk"], ["grants.id"], name=op.f("fk_grant_resources_grant_pk_grants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_resources")),
    )
    with op.batch_alter_table("grant_resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grant_resources_grant_pk"), ["grant_pk"], unique=False)

    op.create_table(
        "idempotency_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_pk", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("transfer_pk", sa.Integer(), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_pk"], ["oauth_clients.id"], name=op.f("fk_idempotency_records_client_pk_oauth_clients")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_idempotency_records_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["transfer_pk"], ["transfers.id"], name=op.f("fk_idempotency_records_transfer_pk_transfers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
        sa.UniqueConstraint(
            "client_pk", "customer_id", "key", name=op.f("uq_idempotency_records_client_pk_customer_id_key")
        ),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_pk", sa.Integer(), nullable=False),
        sa.Column("account_pk", sa.Integer(), nullable=True),
        sa.Column("gl_code", sa.String(length=32), nullable=True),
        sa.Column("bank_code", sa.String(length=4), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_pk"], ["accounts.id"], name=op.f("fk_ledger_entries_account_pk_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["transfer_pk"], ["transfers.id"], name=op.f("fk_ledger_entries_transfer_pk_transfers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_entries_transfer_pk"), ["transfer_pk"], unique=False)

    op.create_table(
        "point_balances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_pk", sa.Integer(), nullable=False),
        sa.Column("program_name", sa.String(length=40), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.Column("expiring_points", sa.BigInteger(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["card_pk"], ["cards.id"], name=op.f("fk_point_balances_card_pk_cards")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_point_balances")),
        sa.UniqueConstraint("card_pk", name=op.f("uq_point_balances_card_pk")),
    )
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_pk", sa.Integer(), nullable=False),
        sa.Column("billing_month", sa.String(length=7), nullable=False),
        sa.Column("closing_date", sa.Date(), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=False),
        sa.Column("total_amount", sa.BigInteger(), nullable=False),
        sa.Column("is_confirmed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["card_pk"], ["cards.id"], name=op.f("fk_statements_card_pk_cards")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
        sa.UniqueConstraint("card_pk", "billing_month", name=op.f("uq_statements_card_pk_billing_month")),
    )
    op.create_table(
        "statement_breakdowns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_pk", sa.Integer(), nullable=False),
        sa.Column("payment_method", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_pk"], ["statements.id"], name=op.f("fk_statement_breakdowns_statement_pk_statements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_breakdowns")),
        sa.UniqueConstraint(
            "statement_pk", "payment_method", name=op.f("uq_statement_breakdowns_statement_pk_payment_method")
        ),
    )


def downgrade() -> None:
    """Downgrade schema."""

    op.drop_table("statement_breakdowns")
    op.drop_table("statements")
    op.drop_table("point_balances")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entries_transfer_pk"))

    op.drop_table("ledger_entries")
    op.drop_table("idempotency_records")
    with op.batch_alter_table("grant_resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_resources_grant_pk"))

    op.drop_table("grant_resources")
    with op.batch_alter_table("card_usages", schema=None) as batch_op:
        batch_op.drop_index("ix_card_usages_card_date_id")

    op.drop_table("card_usages")
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index("ix_transfers_customer_accepted")

    op.drop_table("transfers")
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_transactions_account_date_id")

    op.drop_table("transactions")
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tokens_grant_pk"))

    op.drop_table("tokens")
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cards_member_id"))

    op.drop_table("cards")
    op.drop_table("authorization_codes")
    op.drop_table("web_sessions")
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_customer_id"))

    op.drop_table("grants")
    op.drop_table("card_members")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_customer_id"))
        batch_op.drop_index(batch_op.f("ix_accounts_bank_code"))

    op.drop_table("accounts")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_bank_code"))

    op.drop_table("customers")
    op.drop_table("branches")
    op.drop_table("authorization_requests")
    op.drop_table("oauth_clients")
    op.drop_table("banks")
