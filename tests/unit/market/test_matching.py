"""Demand matching: shared Chinese terms, domain and budget decide, with reasons."""

from __future__ import annotations

from yaosu.market.matching import Candidate, rank, score

PORT = Candidate("p-port", "港口集装箱吞吐量月度统计 港口 吞吐量 箱量", frozenset({"transport"}), 50_000)
TAXI = Candidate("p-taxi", "出租车轨迹 订单 时段 运力", frozenset({"transport"}), 20_000)
CREDIT = Candidate("p-credit", "企业信用评分 工商登记", frozenset({"finance"}), 10_000)
PRICEY_PORT = Candidate("p-port-x", "港口吞吐量 全国 日度", frozenset({"transport"}), 900_000)


def test_the_product_sharing_terms_domain_and_budget_ranks_first() -> None:
    matches = rank("港口吞吐量 月度 箱量", "transport", 100_000, [CREDIT, TAXI, PRICEY_PORT, PORT])
    assert [m.product_id for m in matches] == ["p-port", "p-port-x"]  # no shared term: not offered at all
    assert any("same domain" in r for r in matches[0].reasons)
    assert "above budget" in matches[1].reasons[-1]


def test_scores_are_bounded_and_explained() -> None:
    best = score("港口 吞吐量", "transport", 100_000, PORT)
    assert best.score == 1.0 and "covers 3 of 3 demand terms" in best.reasons[0]
    joined = score("港口吞吐量", "transport", 100_000, PORT)  # 口吞 spans two words the product keeps apart
    assert joined.score == 0.875 and "covers 3 of 4" in joined.reasons[0]
    none = score("港口吞吐量", "transport", 1, CREDIT)
    assert none.score == 0.0
