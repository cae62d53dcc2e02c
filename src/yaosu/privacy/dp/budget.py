"""A privacy budget: releases spend epsilon (and delta) under basic sequential composition (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from yaosu.errors import BudgetExceeded, Invalid

SLACK = 1e-9  # float sums of spent epsilons may overshoot the total by rounding alone


@dataclass(frozen=True)
class Budget:
    """A dataset's total (epsilon, delta) and what releases have spent of it."""

    epsilon: float
    delta: float = 0.0
    spent_epsilon: float = 0.0
    spent_delta: float = 0.0

    @property
    def remaining_epsilon(self) -> float:
        return max(0.0, self.epsilon - self.spent_epsilon)

    def spend(self, epsilon: float, delta: float = 0.0) -> Budget:
        """The budget after a release costing (epsilon, delta); BudgetExceeded if it does not fit."""
        if epsilon <= 0 or delta < 0:
            raise Invalid("a release costs a positive epsilon and a non-negative delta", field="epsilon")
        if self.spent_epsilon + epsilon > self.epsilon + SLACK or self.spent_delta + delta > self.delta + SLACK:
            raise BudgetExceeded(
                f"privacy budget exhausted: {self.remaining_epsilon:.4g} of epsilon {self.epsilon:g} left, "
                f"the release needs {epsilon:.4g}", field="epsilon")
        return Budget(self.epsilon, self.delta, self.spent_epsilon + epsilon, self.spent_delta + delta)
