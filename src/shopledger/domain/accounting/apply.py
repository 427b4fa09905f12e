"""Carry the reconciler's actions onto an order's books, in order, numbering as it goes.

Pure: the caller hands in how to number a document and how to find a posted document's
entry lines; the result is what to write. The import service and the in-memory ledger of
the property tests both go through here, so they cannot drift apart.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from shopledger.domain.accounting.documents import (
    DocumentStatus, HeldDocument, OrderBooks, with_document, with_refund_paid, with_void,
)
from shopledger.domain.accounting.journal import EntryDraft, JournalLine
from shopledger.domain.accounting.numbering import PREFIXES, period_of
from shopledger.domain.accounting.posting import DocumentDraft, posting_for
from shopledger.domain.orders.model import Order
from shopledger.domain.sync.actions import PayRefund, RaiseAlert
from shopledger.domain.sync.policy import BooksPolicy
from shopledger.domain.sync.reconcile import reconcile

TakeNumber = Callable[[str, str], str]  # (prefix, period) -> the next number
EntryLinesOf = Callable[[HeldDocument], tuple[JournalLine, ...]]


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    number: str
    draft: DocumentDraft


@dataclass(frozen=True, slots=True)
class PostedEntry:
    cause: str
    draft: EntryDraft
    document_number: str | None = None
    reverses: HeldDocument | None = None  # the document whose entry this one reverses


@dataclass
class BooksChange:
    books: OrderBooks
    documents: list[IssuedDocument] = field(default_factory=list)
    entries: list[PostedEntry] = field(default_factory=list)
    voids: list[tuple[HeldDocument, date]] = field(default_factory=list)
    alerts: list[RaiseAlert] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.documents or self.entries or self.voids or self.alerts)


def bring_books_up_to_date(order: Order, books: OrderBooks, policy: BooksPolicy,
                           take_number: TakeNumber, entry_lines_of: EntryLinesOf) -> BooksChange:
    change = BooksChange(books)
    for action in reconcile(order, books, policy):
        posting = posting_for(action, order, change.books, policy, entry_lines_of)
        if posting.alert:
            change.alerts.append(posting.alert)
            continue
        number = None
        if posting.voids:
            change.voids.append((posting.voids, posting.void_on))
            change.books = with_void(change.books, posting.voids.number)
        if posting.document:
            number = _issue(posting.document, take_number, change)
        if isinstance(action, PayRefund):
            change.books = with_refund_paid(change.books, action.cause, action.amount)
        if posting.entry:
            change.entries.append(PostedEntry(posting.cause, posting.entry, number or (posting.voids.number if posting.voids else None),
                                              posting.voids))
    return change


def _issue(draft: DocumentDraft, take_number: TakeNumber, change: BooksChange) -> str:
    number = take_number(PREFIXES[draft.kind], period_of(draft.date))
    draft.particulars["number"] = number
    change.documents.append(IssuedDocument(number, draft))
    held = HeldDocument(0, draft.kind, DocumentStatus.ISSUED, number, draft.date, draft.total, draft.vat,
                        draft.cause, draft.amounts_key)
    change.books = with_document(change.books, held)
    return number
