"""Contracts: the ODRL policy is valid JSON-LD offline, both signatures verify, any change breaks them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld

from yaosu.errors import Invalid
from yaosu.market.contract import Terms, contract_hash, document, sign, terms_of, verify

ODRL = "http://www.w3.org/ns/odrl/2/"
TERMS = Terms(contract_id="C1", provider="P1", provider_name="粤港物流科技有限公司", buyer="B1",
              buyer_name="湾区普惠金融科技有限公司", product_id="PR1", product_title="物流运力指数", price=5_400,
              purpose="信用风险建模", actions=("use", "query"), until=datetime(2027, 11, 23, tzinfo=UTC),
              max_count=10_000)


def _offline(url: str, options: Any = None) -> Any:
    raise jsonld.JsonLdError(f"no network: {url}", "loading document failed", code="loading document failed")


def test_the_policy_expands_offline_to_an_odrl_agreement() -> None:
    doc = document(TERMS)
    expanded = jsonld.expand(doc["policy"], {"documentLoader": _offline})[0]
    assert expanded["@type"] == [ODRL + "Agreement"] and expanded["@id"] == "urn:yaosu:contract:C1"
    actions = {p[ODRL + "action"][0]["@id"] for p in expanded[ODRL + "permission"]}
    assert actions == {ODRL + "use", "urn:yaosu:vocab:query"}
    prohibited = {p[ODRL + "action"][0]["@id"] for p in expanded[ODRL + "prohibition"]}
    assert prohibited == {"urn:yaosu:vocab:resell", "urn:yaosu:vocab:reidentify"}
    operands = {c[ODRL + "leftOperand"][0]["@id"]
                for c in expanded[ODRL + "permission"][0][ODRL + "constraint"]}
    assert operands == {ODRL + "purpose", ODRL + "dateTime", ODRL + "spatial", ODRL + "count"}
    assert "信用风险建模" in doc["text"] and "54.00" in doc["text"]


def test_both_parties_sign_and_any_change_breaks_a_signature() -> None:
    provider, buyer = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    doc = document(TERMS)
    sigs = (sign(doc, provider), sign(doc, buyer))
    assert verify(doc, sigs[0], provider.public_key()) and verify(doc, sigs[1], buyer.public_key())
    assert not verify(doc, sigs[0], buyer.public_key())
    changed = document(replace(TERMS, price=5_401))
    assert not verify(changed, sigs[0], provider.public_key()) and contract_hash(changed) != contract_hash(doc)
    assert contract_hash(document(TERMS)) == contract_hash(doc)  # canonical: the same terms, the same hash


@pytest.mark.parametrize(("change", "field"), [
    ({"actions": ("resell",)}, "actions"), ({"actions": ()}, "actions"), ({"purpose": " "}, "purpose"),
    ({"price": 0}, "price"), ({"max_count": 0}, "max_count"), ({"until": datetime(2027, 1, 1)}, "until"),
])
def test_bad_terms_are_refused(change: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as refused:
        document(replace(TERMS, **change))
    assert refused.value.field == field


def test_the_terms_come_back_out_of_the_document() -> None:
    assert terms_of(document(TERMS)) == TERMS
    assert terms_of(document(replace(TERMS, max_count=None, regions=("CN", "HK")))).regions == ("CN", "HK")
