"""Accounts and the double-entry journal, in integer fen.

Every entry's postings sum to zero and the database enforces it: postings are written first and
their entry last (the foreign key is deferred), and a trigger on the entry refuses it unless its
postings balance; the journal refuses UPDATE and DELETE. An account's balance is the sum of its
postings, kept on the row for locking and checked non-negative where money cannot be owed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base, created_column, id_column


class AccountKind(StrEnum):
    """What an account holds. A party has `available` and `escrow`; the exchange has the other two."""

    AVAILABLE = "available"  # a party's own money
    ESCROW = "escrow"  # a buyer's money held for orders not yet accepted
    FEE_INCOME = "fee_income"  # the exchange's fees
    GATEWAY = "gateway"  # the payment gateway's clearing account: minus what was deposited and not withdrawn


EXCHANGE_ACCOUNTS = {AccountKind.FEE_INCOME: "0000000000EXCHANGEFEEINCOM",
                     AccountKind.GATEWAY: "0000000000EXCHANGEGATEWAY0"}  # seeded by the migration


class Account(Base):
    """A party's (or the exchange's, party None) account of one kind, with its balance in fen."""

    __tablename__ = "settlement_account"
    __table_args__ = (
        UniqueConstraint("party_id", "kind"),
        Index("uq_settlement_account_exchange_kind", "kind", unique=True,  # NULLs are distinct in the one above
              sqlite_where=text("party_id IS NULL"), postgresql_where=text("party_id IS NULL")),
        CheckConstraint("kind IN ('available', 'escrow', 'fee_income', 'gateway')", name="kind"),
        CheckConstraint("kind = 'gateway' OR balance >= 0", name="not_negative"),
    )

    id: Mapped[str] = id_column()
    party_id: Mapped[str | None] = mapped_column(ForeignKey("party.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = created_column()


class JournalEntry(Base):
    """One money movement: its kind, the idempotency key that makes it happen at most once, its postings."""

    __tablename__ = "journal_entry"

    id: Mapped[str] = id_column()
    kind: Mapped[str] = mapped_column(String(32), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    reference: Mapped[str | None] = mapped_column(String(64), index=True)  # e.g. the order id
    memo: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = created_column()


class Posting(Base):
    """One leg of an entry: a signed amount in fen on one account (never zero)."""

    __tablename__ = "journal_posting"
    __table_args__ = (CheckConstraint("amount <> 0", name="not_zero"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"),
                                    primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(
        ForeignKey("journal_entry.id", deferrable=True, initially="DEFERRED"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("settlement_account.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
