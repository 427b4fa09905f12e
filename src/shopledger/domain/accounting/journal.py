"""Journal entries: lines of debit and credit that always balance; corrected only by reversal."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from shopledger.domain.errors import DomainError
from shopledger.domain.money import ZERO


class JournalLine(NamedTuple):
    """One line of an entry. A NamedTuple, not a dataclass: a large import makes millions."""

    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO


def dr(account: str, amount: Decimal) -> JournalLine:
    return JournalLine(account, debit=amount)


def cr(account: str, amount: Decimal) -> JournalLine:
    return JournalLine(account, credit=amount)


@dataclass(frozen=True, slots=True)
class EntryDraft:
    """An entry about to be posted. `event` names the posting rule that made it."""

    date: date
    memo: str
    event: str
    lines: tuple[JournalLine, ...]

    def __post_init__(self) -> None:
        if not self.lines:
            raise DomainError("empty_entry", f"a {self.event} entry ({self.memo}) needs at least one line",
                              {"event": self.event, "memo": self.memo})
        assert_balanced(self.lines)


class UnbalancedEntry(DomainError):
    def __init__(self, debit: Decimal, credit: Decimal):
        super().__init__("unbalanced_entry", f"debits {debit} do not equal credits {credit}",
                         {"debit": str(debit), "credit": str(credit)})


def assert_balanced(lines: tuple[JournalLine, ...]) -> None:
    debit = sum((line.debit for line in lines), ZERO)
    credit = sum((line.credit for line in lines), ZERO)
    if debit != credit:
        raise UnbalancedEntry(debit, credit)
    for line in lines:
        if line.debit < 0 or line.credit < 0:
            raise DomainError("negative_amount", f"line on {line.account} has a negative amount")


def entry(day: date, memo: str, event: str, *lines: JournalLine) -> EntryDraft | None:
    """An entry without its zero lines (a zero VAT or shipping part says nothing); None when
    nothing is left (a free order's document moves no money, so it posts no entry)."""
    kept = tuple(line for line in lines if line.debit or line.credit)
    return EntryDraft(day, memo, event, kept) if kept else None


def reversal(lines: tuple[JournalLine, ...], day: date, memo: str) -> EntryDraft | None:
    """The same lines with debit and credit swapped: undoes an entry without touching it.
    Nothing posted, nothing to undo: None."""
    swapped = tuple(JournalLine(line.account, debit=line.credit, credit=line.debit) for line in lines)
    return EntryDraft(day, memo, "reversal", swapped) if swapped else None
