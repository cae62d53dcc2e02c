"""Rank listed products against a buyer's demand (pure): what overlaps, in which domain, within budget.

Text is compared through the catalog's CJK bigram terms (Chinese has no spaces), so 港口吞吐量 in a
demand meets 集装箱吞吐量 in a product through 吞吐 and 吐量. A product's text is its title,
description, its sources' titles and tags, and their column names. Every score carries its reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from yaosu.catalog.terms import index_terms

DOMAIN_WEIGHT, TEXT_WEIGHT, BUDGET_WEIGHT = 0.3, 0.5, 0.2


@dataclass(frozen=True)
class Candidate:
    """A listed product as the matcher sees it."""

    product_id: str
    text: str
    domains: frozenset[str]
    list_price: int


@dataclass(frozen=True)
class Match:
    """A product's score for a demand (0..1) and why."""

    product_id: str
    score: float
    reasons: tuple[str, ...]


def _bigrams(text: str) -> set[str]:
    return {t for t in index_terms(text) if len(t) > 1}


def score(demand_text: str, domain: str, budget: int, candidate: Candidate) -> Match:
    """How well `candidate` answers a demand: share of the demand's terms it covers, domain, price in budget."""
    wanted = _bigrams(demand_text)
    covered = wanted & _bigrams(candidate.text)
    text_part = len(covered) / len(wanted) if wanted else 0.0
    reasons = [f"覆盖需求词 {len(covered)}/{len(wanted)} / covers {len(covered)} of {len(wanted)} demand terms"]
    domain_part = 1.0 if domain in candidate.domains else 0.0
    if domain_part:
        reasons.append(f"同一领域 / same domain ({domain})")
    budget_part = 1.0 if candidate.list_price <= budget else 0.0
    reasons.append("价格在预算内 / within budget" if budget_part else "高于预算 / above budget")
    total = DOMAIN_WEIGHT * domain_part + TEXT_WEIGHT * text_part + BUDGET_WEIGHT * budget_part
    return Match(candidate.product_id, round(total, 4), tuple(reasons))


def rank(demand_text: str, domain: str, budget: int, candidates: Sequence[Candidate], limit: int = 20) -> list[Match]:
    """The best `limit` products, best first (ties by product id), leaving out those sharing no term."""
    scored = [score(demand_text, domain, budget, c) for c in candidates]
    useful = [m for m in scored if not m.reasons[0].startswith("覆盖需求词 0/")]
    return sorted(useful, key=lambda m: (-m.score, m.product_id))[:limit]
