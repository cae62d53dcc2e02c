"""DCAT 3 catalog documents in JSON-LD (pure: rows in, a JSON-ready dict out).

The context is inline (no remote context is ever fetched: the exchange runs offline). Access
rights and update frequencies use the EU Publications Office vocabularies that DCAT-AP names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from yaosu import clock
from yaosu.resources.enums import DOMAINS, OPEN_CONDITION_ZH, Classification, OpenCondition

LANG = "zh-CN"
CONTEXT: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
}
ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
FREQUENCIES = {"realtime": "UPDATE_CONT", "daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY",
               "quarterly": "QUARTERLY", "yearly": "ANNUAL", "once": "NEVER"}
_OPEN_ACCESS = {OpenCondition.UNCONDITIONAL.value: "PUBLIC", OpenCondition.CONDITIONAL.value: "RESTRICTED",
                OpenCondition.NOT_OPEN.value: "NON_PUBLIC"}
_TRADED_ZH = {Classification.ENTERPRISE.value: "企业数据，依合同授权使用",
              Classification.PERSONAL.value: "个人数据，依个人授权使用"}


@dataclass(frozen=True)
class Publisher:
    """A party as a DCAT publisher."""

    id: str
    name: str
    kind: str = "organization"


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": LANG}


def _typed(value: datetime | date) -> dict[str, str]:
    if isinstance(value, datetime):
        return {"@value": clock.as_utc(value).isoformat(), "@type": "xsd:dateTime"}
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def agent(base_url: str, publisher: Publisher) -> dict[str, Any]:
    """A foaf:Organization (or foaf:Person for an individual) with its name."""
    kind = "foaf:Person" if publisher.kind == "individual" else "foaf:Organization"
    return {"@id": f"{base_url}/parties/{publisher.id}", "@type": kind, "foaf:name": _text(publisher.name)}


def access_rights(classification: str, open_condition: str | None) -> dict[str, Any]:
    """dct:accessRights from the opening condition (public data) or the classification (traded data)."""
    if open_condition in _OPEN_ACCESS:
        code, label = _OPEN_ACCESS[open_condition], OPEN_CONDITION_ZH[OpenCondition(open_condition)]
    else:
        code = "RESTRICTED"
        label = _TRADED_ZH.get(classification, "有条件使用")
    return {"@id": ACCESS_RIGHT + code, "@type": "dct:RightsStatement", "rdfs:label": _text(label)}


def theme(base_url: str, domain: str) -> dict[str, Any]:
    """dcat:theme: the industry domain as a SKOS concept of the exchange's theme scheme."""
    return {"@id": f"{base_url}/catalog/themes/{domain}", "@type": "skos:Concept", "skos:notation": domain,
            "skos:prefLabel": _text(DOMAINS.get(domain, domain))}


def dataset(base_url: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """One resource row (with holder_name, holder_kind) as a dcat:Dataset."""
    holder = Publisher(id=row["holder_party_id"], name=row["holder_name"], kind=row.get("holder_kind") or "")
    doc: dict[str, Any] = {
        "@id": f"{base_url}/resources/{row['id']}", "@type": "dcat:Dataset", "dct:identifier": row["id"],
        "dct:title": _text(row["title"]), "dct:description": _text(row["description"] or ""),
        "dct:publisher": agent(base_url, holder), "dcat:keyword": list(row["tags"] or []),
        "dct:accessRights": access_rights(row["classification"], row["open_condition"]),
        "dcat:theme": theme(base_url, row["domain"]), "dct:modified": _typed(row["updated_at"])}
    if row.get("created_at") is not None:
        doc["dct:issued"] = _typed(row["created_at"])
    if row.get("update_frequency") in FREQUENCIES:
        doc["dct:accrualPeriodicity"] = {"@id": FREQUENCY + FREQUENCIES[row["update_frequency"]]}
    start, end = row.get("time_span_start"), row.get("time_span_end")
    if start is not None or end is not None:
        span: dict[str, Any] = {"@type": "dct:PeriodOfTime"}
        if start is not None:
            span["dcat:startDate"] = _typed(start)
        if end is not None:
            span["dcat:endDate"] = _typed(end)
        doc["dct:temporal"] = span
    return doc


def catalog_document(*, base_url: str, publisher: Publisher | None, rows: Iterable[Mapping[str, Any]],
                     page: int = 1, has_next: bool = False) -> dict[str, Any]:
    """The dcat:Catalog of `rows`; pages after the first or before the last carry a hydra view with links."""
    base = base_url.rstrip("/")
    catalog_id = f"{base}/api/v1/catalog/dcat"
    name = publisher.name if publisher else "Yaosu"
    doc: dict[str, Any] = {"@context": dict(CONTEXT), "@id": catalog_id, "@type": "dcat:Catalog",
                           "dct:title": _text(f"{name}数据资源目录")}
    if publisher is not None:
        doc["dct:publisher"] = agent(base, publisher)
    doc["dcat:dataset"] = [dataset(base, row) for row in rows]
    if page > 1 or has_next:
        view: dict[str, Any] = {"@id": f"{catalog_id}?page={page}", "@type": "hydra:PartialCollectionView"}
        if has_next:
            view["hydra:next"] = {"@id": f"{catalog_id}?page={page + 1}"}
        if page > 1:
            view["hydra:previous"] = {"@id": f"{catalog_id}?page={page - 1}"}
        doc["hydra:view"] = view
    return doc
