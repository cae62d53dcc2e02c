"""Payment gateways: how money enters and leaves the exchange's books (入金 / 出金).

A deposit is credited only after the gateway confirms the transfer reached the exchange's clearing
account; a withdrawal is debited first and then paid out through the gateway, in the same unit of
work, so a gateway refusal rolls the debit back. The gateway's own reference for each transfer is
stored on the journal entry. The only gateway shipped is `SimulatedBank` (模拟银行), which confirms
every transfer at once: it is what tests and the demonstration use, and it is named so that no one
takes it for a bank connection. A real bank or payment-institution adapter implements the same
protocol; it must be idempotent on `reference` (the exchange retries with the same reference), and,
because it is called inside a database transaction, a production adapter should record its
instruction in an outbox rather than block on the network (noted for the planners).
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from yaosu.errors import Invalid
from yaosu.registry import Registry

MAX_TRANSFER = 10**10  # fen: 100,000,000 yuan per transfer


class PaymentGateway(Protocol):
    """Moves real money between a party's bank account and the exchange's clearing account."""

    name: str

    def confirm_receipt(self, party_id: str, amount: int, reference: str) -> str:
        """Confirm that `amount` fen from `party_id` arrived; the gateway's transfer reference."""
        ...

    def pay_out(self, party_id: str, amount: int, reference: str) -> str:
        """Pay `amount` fen to `party_id`'s bank account; the gateway's transfer reference."""
        ...


GATEWAYS: Registry[type[PaymentGateway]] = Registry("payment gateway")


@GATEWAYS.register("simulated")
class SimulatedBank:
    """模拟银行 — a simulated bank for tests and the demonstration: every transfer up to the per-transfer limit is
    confirmed at once, with a reference derived from the request (the same request, the same reference)."""

    name = "simulated-bank"

    def _reference(self, direction: str, party_id: str, amount: int, reference: str) -> str:
        if not isinstance(amount, int) or not 0 < amount <= MAX_TRANSFER:
            raise Invalid("a transfer is 1 fen to 100,000,000 yuan", field="amount")
        digest = hashlib.sha256(f"{direction}\0{party_id}\0{amount}\0{reference}".encode()).hexdigest()
        return f"SIM-{direction}-{digest[:20]}"

    def confirm_receipt(self, party_id: str, amount: int, reference: str) -> str:
        return self._reference("IN", party_id, amount, reference)

    def pay_out(self, party_id: str, amount: int, reference: str) -> str:
        return self._reference("OUT", party_id, amount, reference)


def gateway(name: str) -> PaymentGateway:
    """The configured gateway by its registry name (`YAOSU_PAYMENT_GATEWAY`)."""
    return GATEWAYS.get(name)()
