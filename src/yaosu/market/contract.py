"""Contracts: Chinese text from a template plus a machine-readable ODRL policy, signed by both parties (pure).

The policy is W3C ODRL 2.2 in JSON-LD: an `odrl:Agreement` whose assigner is the provider and
assignee the buyer, permitting the agreed actions on the product for a purpose, within count,
time and region constraints, with duties (delete at expiry, report usage) and prohibitions
(resale, re-identification). The contract document is the text, the policy and the terms
together; its RFC 8785 canonical JSON is what each party signs with Ed25519 and what the ledger
records by hash. Later issues enforce the policy at delivery.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from yaosu.canonical import canonical_json
from yaosu.errors import Invalid

ACTIONS = {"use": "odrl:use", "query": "yaosu:query", "download": "odrl:reproduce", "derive": "odrl:derive"}
# The ODRL terms this policy uses, inline: a reader needs no remote context (closed networks).
ODRL_CONTEXT = {
    "odrl": "http://www.w3.org/ns/odrl/2/", "@vocab": "http://www.w3.org/ns/odrl/2/", "yaosu": "urn:yaosu:vocab:",
    "uid": "@id", "assigner": {"@type": "@id"}, "assignee": {"@type": "@id"}, "target": {"@type": "@id"},
    "profile": {"@type": "@id"}, "action": {"@type": "@vocab"}, "leftOperand": {"@type": "@vocab"},
    "operator": {"@type": "@vocab"},
}
TEMPLATE = (
    "数据产品交易合同\n"
    "甲方（提供方）：{provider}\n乙方（需求方）：{buyer}\n"
    "标的：数据产品「{product}」（编号 {product_id}），价格人民币 {price_yuan} 元。\n"
    "使用目的：{purpose}。许可行为：{actions}。使用次数上限：{count}。有效期至：{until}。使用地域：{regions}。\n"
    "乙方不得转售、不得重新识别个人，到期后删除数据并报告使用情况。\n"
    "本合同机器可读的使用策略见附件 ODRL 策略，二者不一致时以 ODRL 策略为准。"
)


@dataclass(frozen=True)
class Terms:
    """What the parties agree: who, what, for what, how much, how long, where."""

    contract_id: str
    provider: str  # party id
    provider_name: str
    buyer: str
    buyer_name: str
    product_id: str
    product_title: str
    price: int  # fen
    purpose: str
    actions: tuple[str, ...]
    until: datetime
    max_count: int | None = None
    regions: tuple[str, ...] = ("CN",)

    def check(self) -> None:
        """Raise Invalid naming the field when the terms cannot make a contract."""
        if not self.actions or any(a not in ACTIONS for a in self.actions):
            raise Invalid(f"actions are some of {', '.join(ACTIONS)}", field="actions")
        if not self.purpose.strip():
            raise Invalid("a contract names its purpose", field="purpose")
        if self.price <= 0:
            raise Invalid("a contract has a positive price in fen", field="price")
        if self.max_count is not None and self.max_count < 1:
            raise Invalid("a count limit is at least 1", field="max_count")
        if self.until.tzinfo is None:
            raise Invalid("the end date carries its time zone", field="until")


def policy(terms: Terms) -> dict[str, Any]:
    """The ODRL 2.2 Agreement (JSON-LD) for `terms`."""
    constraints: list[dict[str, Any]] = [
        {"leftOperand": "purpose", "operator": "eq", "rightOperand": terms.purpose},
        {"leftOperand": "dateTime", "operator": "lteq", "rightOperand": terms.until.isoformat()},
        {"leftOperand": "spatial", "operator": "isAnyOf", "rightOperand": list(terms.regions)},
    ]
    if terms.max_count is not None:
        constraints.append({"leftOperand": "count", "operator": "lteq", "rightOperand": terms.max_count})
    target = f"urn:yaosu:product:{terms.product_id}"
    return {
        "@context": ODRL_CONTEXT, "@type": "Agreement", "uid": f"urn:yaosu:contract:{terms.contract_id}",
        "profile": "urn:yaosu:odrl-profile:1",
        "assigner": f"urn:yaosu:party:{terms.provider}", "assignee": f"urn:yaosu:party:{terms.buyer}",
        "permission": [{"target": target, "action": ACTIONS[a], "constraint": constraints,
                        "duty": [{"action": "odrl:delete", "constraint": [
                                     {"leftOperand": "dateTime", "operator": "gteq",
                                      "rightOperand": terms.until.isoformat()}]},
                                 {"action": "yaosu:reportUsage"}]} for a in terms.actions],
        "prohibition": [{"target": target, "action": "yaosu:resell"},
                        {"target": target, "action": "yaosu:reidentify"}],
    }


def document(terms: Terms) -> dict[str, Any]:
    """The contract as signed: its Chinese text, the ODRL policy and the terms."""
    terms.check()
    text = TEMPLATE.format(provider=terms.provider_name, buyer=terms.buyer_name, product=terms.product_title,
                           product_id=terms.product_id, price_yuan=f"{terms.price / 100:.2f}",
                           purpose=terms.purpose, actions="、".join(terms.actions),
                           count=terms.max_count or "不限", until=terms.until.isoformat(),
                           regions="、".join(terms.regions))
    return {"contract_id": terms.contract_id, "text": text, "policy": policy(terms),
            "price_fen": terms.price, "provider": terms.provider, "buyer": terms.buyer,
            "product_id": terms.product_id,
            "terms": {"provider_name": terms.provider_name, "buyer_name": terms.buyer_name,
                      "product_title": terms.product_title, "purpose": terms.purpose,
                      "actions": list(terms.actions), "until": terms.until.isoformat(),
                      "max_count": terms.max_count, "regions": list(terms.regions)}}


def terms_of(doc: dict[str, Any]) -> Terms:
    """The terms a contract document was made from (the inverse of `document`)."""
    t = doc["terms"]
    return Terms(contract_id=doc["contract_id"], provider=doc["provider"], provider_name=t["provider_name"],
                 buyer=doc["buyer"], buyer_name=t["buyer_name"], product_id=doc["product_id"],
                 product_title=t["product_title"], price=doc["price_fen"], purpose=t["purpose"],
                 actions=tuple(t["actions"]), until=datetime.fromisoformat(t["until"]),
                 max_count=t["max_count"], regions=tuple(t["regions"]))


def contract_hash(doc: dict[str, Any]) -> str:
    """SHA-256 (hex) of the document's RFC 8785 canonical JSON: what the ledger records."""
    return hashlib.sha256(canonical_json(doc)).hexdigest()


def sign(doc: dict[str, Any], key: Ed25519PrivateKey) -> bytes:
    """A party's Ed25519 signature over the document's canonical JSON."""
    return key.sign(canonical_json(doc))


def verify(doc: dict[str, Any], signature: bytes, key: Ed25519PublicKey) -> bool:
    """True if `signature` is `key`'s signature over exactly this document."""
    try:
        key.verify(signature, canonical_json(doc))
    except InvalidSignature:
        return False
    return True
