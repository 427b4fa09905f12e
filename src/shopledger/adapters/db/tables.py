"""The schema of the books (SQLAlchemy Core). Alembic migrations are generated from this."""
from __future__ import annotations

from sqlalchemy import (
    JSON, BigInteger, Column, Date, ForeignKey, Index, Integer, MetaData, String, Table,
    LargeBinary, Text, UniqueConstraint,
)

from shopledger.adapters.db.types import Money, UtcDateTime

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

Id = BigInteger().with_variant(Integer, "sqlite")  # SQLite only autoincrements INTEGER keys

accounts = Table(
    "accounts", metadata,
    Column("code", String(10), primary_key=True),
    Column("name_th", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("type", String(20), nullable=False),
)

settings = Table(
    "settings", metadata,
    Column("key", String(100), primary_key=True),
    Column("value", JSON, nullable=False),
)

vat_rates = Table(
    "vat_rates", metadata,
    Column("id", Id, primary_key=True),
    Column("rate", String(10), nullable=False),  # percent as a decimal string: "7"
    Column("starts_on", Date, nullable=False, unique=True),
)

orders = Table(
    "orders", metadata,
    Column("id", Id, primary_key=True),
    Column("source", String(100), nullable=False),
    Column("external_id", String(200), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("placed_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("payment_status", String(20), nullable=False),
    Column("fulfillment_status", String(20), nullable=False),
    Column("payment_method", String(20), nullable=False),
    Column("cancelled_at", UtcDateTime),
    Column("paid_at", UtcDateTime),
    Column("total", Money, nullable=False),
    Column("customer_name", String(300), nullable=False),
    Column("data", JSON, nullable=False),  # the whole order in the interchange format
    Column("fingerprint", String(40), nullable=False),
    Column("received_hash", String(40)),  # the record exactly as a door handed it in, last time
    Column("created_at", UtcDateTime, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),  # when we last saw it change
    # What the lists filter on, kept by services/order_state.py whenever the order, its shipment
    # or its stock changes (None until worked out: `shopledger init` fills in older orders).
    Column("state_changed_at", UtcDateTime),  # its payment, fulfilment or cancellation last changed
    Column("display_status", String(30)),
    Column("payment_wait", String(20)),  # the stuck rule whose state it waits in, per axis, and since when
    Column("payment_wait_since", UtcDateTime),
    Column("fulfilment_wait", String(20)),
    Column("fulfilment_wait_since", UtcDateTime),
    # What a search finds it by (domain/orders/search.search_text: number, customer name, phone
    # digits, tracking number, folded), written with its row (migration 0011 filled in older ones).
    Column("search_text", String(600)),
    UniqueConstraint("source", "external_id"),
)

document_sequences = Table(
    "document_sequences", metadata,
    Column("prefix", String(4), primary_key=True),
    Column("period", String(6), primary_key=True),
    Column("next_no", Integer, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Id, primary_key=True),
    Column("number", String(30), nullable=False, unique=True),
    Column("kind", String(30), nullable=False),
    Column("status", String(10), nullable=False),
    Column("order_id", ForeignKey("orders.id"), nullable=False),  # indexed by (order_id, kind, cause)
    Column("date", Date, nullable=False),
    Column("total", Money, nullable=False),
    Column("vat", Money, nullable=False),
    Column("cause", String(120), nullable=False),
    Column("amounts_key", String(40), nullable=False),
    Column("refers_to", String(30)),  # number of the document it pays or corrects
    Column("particulars", JSON, nullable=False),  # the immutable snapshot shown to the buyer
    Column("issued_at", UtcDateTime, nullable=False),
    Column("voided_on", Date),
    UniqueConstraint("order_id", "kind", "cause"),
)

journal_entries = Table(
    "journal_entries", metadata,
    Column("id", Id, primary_key=True),
    Column("date", Date, nullable=False, index=True),
    Column("memo", String(300), nullable=False),
    Column("event", String(40), nullable=False),
    Column("order_id", ForeignKey("orders.id")),  # indexed by (order_id, cause)
    Column("cause", String(160)),  # unique per order: posting twice is a no-op
    Column("document_number", String(30)),
    Column("reverses_id", ForeignKey("journal_entries.id")),
    Column("posted_at", UtcDateTime, nullable=False),
    UniqueConstraint("order_id", "cause"),
)

journal_lines = Table(
    "journal_lines", metadata,
    Column("id", Id, primary_key=True),
    Column("entry_id", ForeignKey("journal_entries.id"), nullable=False, index=True),
    Column("account", ForeignKey("accounts.code"), nullable=False),
    Column("debit", Money, nullable=False),
    Column("credit", Money, nullable=False),
)

order_events = Table(
    "order_events", metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", ForeignKey("orders.id"), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("actor", String(120), nullable=False),
)

alerts = Table(
    "alerts", metadata,
    Column("id", Id, primary_key=True),
    Column("key", String(300), nullable=False, unique=True),
    Column("kind", String(30), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("reason", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("since", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("role", String(20), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime),  # written at most once a minute per token
    Column("revoked_at", UtcDateTime),  # kept, not deleted: the books name callers by token name
)

Index("ix_journal_lines_account", journal_lines.c.account)

# Lists page newest first. A status page and its count read only this index, stuck or not.
Index("ix_orders_display_status", orders.c.display_status, orders.c.id, orders.c.payment_wait,
      orders.c.payment_wait_since, orders.c.fulfilment_wait, orders.c.fulfilment_wait_since)
# The stuck view walks the waiting orders newest first and judges each inside the index.
_waiting = orders.c.payment_wait.is_not(None) | orders.c.fulfilment_wait.is_not(None)
Index("ix_orders_waiting", orders.c.id, orders.c.display_status, orders.c.payment_wait, orders.c.payment_wait_since,
      orders.c.fulfilment_wait, orders.c.fulfilment_wait_since, sqlite_where=_waiting, postgresql_where=_waiting)
# One stuck rule counted, or listed oldest first; the payment axis's also finds the orders stuck
# on both axes (so the stuck view's count is a sum of index ranges).
Index("ix_orders_payment_wait", orders.c.payment_wait, orders.c.payment_wait_since, orders.c.id,
      orders.c.fulfilment_wait, orders.c.fulfilment_wait_since,
      sqlite_where=orders.c.payment_wait.is_not(None), postgresql_where=orders.c.payment_wait.is_not(None))
Index("ix_orders_fulfilment_wait", orders.c.fulfilment_wait, orders.c.fulfilment_wait_since, orders.c.id,
      sqlite_where=orders.c.fulfilment_wait.is_not(None), postgresql_where=orders.c.fulfilment_wait.is_not(None))
# SQLite walks a table's rows to skip them for OFFSET, and these rows carry big JSON; a slim
# index on the key is what it walks instead (PostgreSQL's primary key index does this already).
Index("ix_orders_id", orders.c.id).ddl_if(dialect="sqlite")
# A search reads only this index (the rows carry big JSON): each text with what the status and
# stuck filters look at, so a search with either is judged inside it too, and the key
# (order_reads._found; PostgreSQL keeps no row id in an index, SQLite does anyway).
Index("ix_orders_search", orders.c.search_text, orders.c.display_status, orders.c.payment_wait,
      orders.c.payment_wait_since, orders.c.fulfilment_wait, orders.c.fulfilment_wait_since, orders.c.id)
Index("ix_documents_id", documents.c.id).ddl_if(dialect="sqlite")

# --- Import Data: sources, their runs, and the daily runs due ---------------------------------

sources = Table(
    "sources", metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("base_url", String(500), nullable=False),
    Column("token", String(500), nullable=False),  # needed to call the shop; never shown or logged
    Column("push_secret", String(200)),  # HMAC key for a shop that pushes orders
    Column("daily_at", String(5)),  # "HH:MM" in the source's time zone, or none
    Column("timezone", String(60), nullable=False),
    Column("cursor", UtcDateTime),  # the newest updated_at fully imported
    Column("created_at", UtcDateTime, nullable=False),
)

sync_runs = Table(
    "sync_runs", metadata,
    Column("id", Id, primary_key=True),
    Column("source_id", ForeignKey("sources.id"), nullable=False, index=True),
    Column("trigger", String(20), nullable=False),  # manual, daily, push
    Column("status", String(20), nullable=False),  # queued, running, succeeded, failed
    Column("started_at", UtcDateTime),
    Column("ended_at", UtcDateTime),
    Column("heartbeat_at", UtcDateTime),
    Column("since", UtcDateTime),
    Column("pages", Integer, nullable=False, default=0),
    Column("created", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Column("failures", JSON, nullable=False),
    Column("error", Text),
    Column("expected_orders", Integer),  # what the source said is coming: the page's time left
)

due_runs = Table(
    "due_runs", metadata,
    Column("id", Id, primary_key=True),
    Column("source_id", ForeignKey("sources.id"), nullable=False),
    Column("business_date", Date, nullable=False),
    Column("run_id", ForeignKey("sync_runs.id")),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("source_id", "business_date"),
)

push_deliveries = Table(  # delivery ids a shop pushed, remembered for a day so a replay does nothing
    "push_deliveries", metadata,
    Column("id", Id, primary_key=True),
    Column("source_id", ForeignKey("sources.id"), nullable=False),
    Column("delivery_id", String(100), nullable=False),
    Column("run_id", ForeignKey("sync_runs.id")),
    Column("received_at", UtcDateTime, nullable=False, index=True),
    UniqueConstraint("source_id", "delivery_id"),
)

# --- Running the shop: products and stock, shipments, cash on delivery ------------------------

products = Table(
    "products", metadata,
    Column("sku", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("price", Money, nullable=False),
    Column("cost", Money, nullable=False),  # the merchant's reference cost; oversold units leave at it
    Column("low_stock_at", Integer),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False),
    Column("value_satang", BigInteger, nullable=False),  # inventory value of on_hand (moving average)
    Column("last_unit_cost_satang", BigInteger, nullable=False),
    Column("created_from", String(20), nullable=False),  # manual, unknown_sku
    Column("created_at", UtcDateTime, nullable=False),
    # When available last went below 0 / to or below low_stock_at (None: it is not), kept as
    # movements are recorded so an alert's `since` is not a replay of every movement.
    Column("oversold_since", UtcDateTime),
    Column("low_since", UtcDateTime),
)

stock_movements = Table(
    "stock_movements", metadata,
    Column("id", Id, primary_key=True),
    Column("sku", ForeignKey("products.sku"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("on_hand_delta", Integer, nullable=False),
    Column("reserved_delta", Integer, nullable=False),
    Column("value_delta_satang", BigInteger, nullable=False),
    Column("order_id", ForeignKey("orders.id"), index=True),
    Column("refund_id", String(200), nullable=False),
    Column("cause", String(300), nullable=False),
    Column("ref", String(300), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

cod_remittances = Table(
    "cod_remittances", metadata,
    Column("id", Id, primary_key=True),
    Column("carrier", String(60), nullable=False),
    Column("statement", String(300), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("total_cod", Money, nullable=False),
    Column("total_fee", Money, nullable=False),
    Column("entry_id", ForeignKey("journal_entries.id")),
    Column("created_at", UtcDateTime, nullable=False),
)

shipments = Table(
    "shipments", metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", ForeignKey("orders.id"), nullable=False, unique=True),
    Column("carrier", String(60), nullable=False),
    Column("carrier_name", String(100), nullable=False),
    Column("tracking_number", String(100), nullable=False, index=True),
    Column("tracking_url", String(500)),
    Column("shipped_at", UtcDateTime),
    Column("delivered_at", UtcDateTime),
    Column("returned_at", UtcDateTime),
    Column("cod_amount", Money),  # what the courier collects, for a COD order
    Column("remitted_at", UtcDateTime),
    Column("remittance_id", ForeignKey("cod_remittances.id")),
)

# --- The accountant's month (docs/reports.md) ---------------------------------------------------

# What every account moved on each day, in satang: kept in the same transaction as the journal
# lines it sums (books_repo.LedgerBatch.write, one upsert per account and day of a batch), so a
# trial balance, P&L or balance sheet reads accounts x days, never the lines.
account_day_balances = Table(
    "account_day_balances", metadata,
    Column("account", String(10), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("debit", BigInteger, nullable=False),
    Column("credit", BigInteger, nullable=False),
)

# The company's logo and signature printed on documents: kept in the database (a backup or a
# second web process has them too), at most limits.MAX_DOCUMENT_IMAGE bytes each.
document_images = Table(
    "document_images", metadata,
    Column("kind", String(20), primary_key=True),  # logo, signature
    Column("media_type", String(40), nullable=False),  # image/png, image/jpeg, image/svg+xml
    Column("data", LargeBinary, nullable=False),
    Column("filename", String(200), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# A month's tax documents (output VAT report) and the entries of a document (its VAT reconciled).
Index("ix_documents_date", documents.c.date, documents.c.kind)
# The Documents page filtered by kind or status: a page and its count are a range of one index.
Index("ix_documents_kind_id", documents.c.kind, documents.c.id)
Index("ix_documents_status_id", documents.c.status, documents.c.id)
Index("ix_journal_entries_document_number", journal_entries.c.document_number)


# --- People who sign in to the pages (docs/people.md) ------------------------------------------

users = Table(
    "users", metadata,
    Column("id", Id, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),  # lower-cased: one person whatever the case typed
    Column("role", String(20), nullable=False),  # domain/people/roles.ROLES
    Column("password_hash", String(200), nullable=False),  # argon2id, salted, parameters inside
    Column("disabled_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_sign_in_at", UtcDateTime),
    Column("language", String(5)),  # the pages' language they chose (web/i18n.py); None: not chosen
)

# A signed-in browser: the cookie holds a random id, the row only its SHA-256 (a copy of the
# database opens no session). Idle and absolute expiry are judged from the two times.
sessions = Table(
    "sessions", metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),  # written at most once a minute
)

# Failed sign-ins in a row per e-mail, whether or not anyone has it (the same answer either way).
sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("email", String(254), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", UtcDateTime, nullable=False, index=True),
    Column("locked_until", UtcDateTime),
)


# --- e-Tax Invoice by Email: each sending of a document's PDF/A-3 (docs/etax.md) ---------------

# One row per attempt, sent or failed, never changed afterwards: when, to whom, the message's id
# and the outcome (the SMTP server's refusal or why it could not be reached, in words).
document_sendings = Table(
    "document_sendings", metadata,
    Column("id", Id, primary_key=True),
    Column("document_number", String(30), nullable=False, index=True),
    Column("attempted_at", UtcDateTime, nullable=False),
    Column("to_address", String(254), nullable=False),
    Column("cc_address", String(254), nullable=False),  # ETDA's time-stamping address ("" if none is set)
    Column("subject", String(300), nullable=False),
    Column("message_id", String(300), nullable=False),
    Column("outcome", String(10), nullable=False),  # sent | failed
    Column("error", String(500)),
    Column("sent_by", String(254), nullable=False),  # a person's e-mail, a token's name, or "cli"
)
