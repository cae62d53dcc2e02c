"""Masking and anonymizing vault datasets: derived datasets, lineage, product keys, authorization, all-or-nothing."""

from __future__ import annotations

import json
import stat

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.deid_files import people
from tests.factories import Factory
from tests.integration.deid.conftest import vault_files
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.db.engine import unit_of_work
from yaosu.deid import service
from yaosu.deid.keys import key_path
from yaosu.deid.models import DatasetLineage
from yaosu.errors import Forbidden, Invalid, NotFound, PolicyViolation
from yaosu.ledger.models import LedgerEvent
from yaosu.node import service as node
from yaosu.node.models import Dataset
from yaosu.node.vault import Vault
from yaosu.privacy.anonymize.config import AnonymizeConfig
from yaosu.privacy.mask.policy import parse_policy, policy_hash

TOKENS = parse_policy({"columns": {"身份证号": {"operator": "tokenize", "params": {"prefix": "ID_"}},
                                   "手机": {"operator": "redact"}}})
CONFIG = AnonymizeConfig(qi=("年龄", "性别", "区县"), k=5, bands={"年龄": 5}, hierarchies={"区县": "address"})


def _rows(session: Session, actor: Actor, vault: Vault, dataset_id: str) -> list[dict[str, object]]:
    source = node.read_dataset(session=session, actor=actor, vault=vault, dataset_id=dataset_id)
    return [r for b in source.batches for r in b.to_pylist()]


def _events(session: Session, subject: str) -> list[LedgerEvent]:
    return list(session.scalars(select(LedgerEvent).where(LedgerEvent.subject_id == subject)))


def test_default_mask_writes_a_derived_dataset_with_lineage_and_no_original_identifier(
        session: Session, provider: Actor, vault: Vault, people_ds: Dataset) -> None:
    lineage = service.mask_dataset(session=session, actor=provider, vault=vault, dataset_id=people_ds.id,
                                   name="居民-脱敏")
    derived = node.get_dataset(session=session, actor=provider, dataset_id=lineage.dataset_id)
    assert (derived.owner_party_id, derived.row_count, derived.name) == (provider.party_id, 400, "居民-脱敏")
    assert derived.content_hash == vault.content_hash(derived.id) != people_ds.content_hash
    originals = {r["身份证号"] for r in people()} | {r["手机"] for r in people()}
    out = _rows(session, provider, vault, derived.id)
    assert not originals & {v for r in out for v in r.values()}
    assert lineage.source_dataset_id == people_ds.id and lineage.source_content_hash == people_ds.content_hash
    assert lineage.operation == "mask" and lineage.actor_party_id == provider.party_id
    assert lineage.parameters_hash == policy_hash(parse_policy(lineage.parameters))
    assert lineage.parameters["columns"]["身份证号"]["operator"] == "partial_mask"
    assert lineage.report["before"]["entities"]["身份证号"] == "CN_ID_CARD"
    assert lineage.report["before"]["entities"]["手机"] == "CN_MOBILE"
    assert not {"身份证号", "手机"} & set(lineage.report["after"]["entities"])
    event = next(e for e in _events(session, derived.id) if e.type == "dataset.masked")
    payload = json.loads(event.payload)
    assert payload["parameters_hash"] == lineage.parameters_hash and payload["key_id"] == lineage.key_id
    assert not any(value in event.payload for value in originals)


def test_product_key_is_kept_0600_never_logged_and_keys_pseudonyms(
        session: Session, provider: Actor, vault: Vault, people_ds: Dataset) -> None:
    def tokens(label: str) -> list[object]:
        lineage = service.mask_dataset(session=session, actor=provider, vault=vault, dataset_id=people_ds.id,
                                       name=f"t-{label}", policy=TOKENS, key_label=label)
        return [r["身份证号"] for r in _rows(session, provider, vault, lineage.dataset_id)]

    first, again, other = tokens("product-a"), tokens("product-a"), tokens("product-b")
    assert first == again and all(str(t).startswith("ID_") for t in first)
    assert not set(first) & set(other)
    path = key_path(vault.key_dir, provider.party_id, "product-a")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = path.read_bytes()
    logged = " ".join(e.payload for e in session.scalars(select(LedgerEvent)))
    assert secret.hex() not in logged and "product-a:" in logged


def test_anonymize_records_config_and_risk_before_and_after(
        session: Session, provider: Actor, vault: Vault, people_ds: Dataset) -> None:
    lineage = service.anonymize_dataset(session=session, actor=provider, vault=vault, dataset_id=people_ds.id,
                                        name="居民-匿名", config=CONFIG)
    out = _rows(session, provider, vault, lineage.dataset_id)
    classes: dict[tuple[object, ...], int] = {}
    for row in out:  # an independent check of k on the stored output
        key = (row["年龄"], row["性别"], row["区县"])
        classes[key] = classes.get(key, 0) + 1
    assert min(classes.values()) >= 5
    assert lineage.operation == "anonymize" and lineage.parameters["k"] == 5
    assert lineage.parameters["qi"] == ["年龄", "性别", "区县"] and lineage.key_id is None
    report = lineage.report
    assert report["after"]["k"] >= 5 > report["before"]["k"]
    assert report["risk_after"]["prosecutor_max"] <= 0.2 < report["risk_before"]["prosecutor_max"]
    assert len(out) == 400 - report["loss"]["suppressed_rows"]
    event = next(e for e in _events(session, lineage.dataset_id) if e.type == "dataset.anonymized")
    assert json.loads(event.payload)["k_after"] == report["after"]["k"]


def test_lineage_links_both_ways_for_owner_and_operator_only(
        session: Session, provider: Actor, operator: Actor, factory: Factory, vault: Vault,
        people_ds: Dataset) -> None:
    made = service.mask_dataset(session=session, actor=operator, vault=vault, dataset_id=people_ds.id, name="op")
    derived = node.get_dataset(session=session, actor=provider, dataset_id=made.dataset_id)
    assert derived.owner_party_id == provider.party_id and made.actor_party_id == operator.party_id
    for actor in (provider, operator):
        up = service.get_lineage(session=session, actor=actor, dataset_id=made.dataset_id)
        assert up.lineage is not None and up.lineage.source_dataset_id == people_ds.id
        down = service.get_lineage(session=session, actor=actor, dataset_id=people_ds.id)
        assert down.lineage is None and [d.dataset_id for d in down.derived] == [made.dataset_id]
    other = factory.actor(Role.PROVIDER)
    for dataset_id in (people_ds.id, made.dataset_id):
        with pytest.raises(NotFound):
            service.get_lineage(session=session, actor=other, dataset_id=dataset_id)


def test_another_party_cannot_derive_and_a_buyer_may_not_mask(
        session: Session, factory: Factory, vault: Vault, people_ds: Dataset) -> None:
    other = factory.actor(Role.PROVIDER)
    before = vault_files(vault)
    with pytest.raises(NotFound):
        service.mask_dataset(session=session, actor=other, vault=vault, dataset_id=people_ds.id, name="x")
    with pytest.raises(NotFound):
        service.anonymize_dataset(session=session, actor=other, vault=vault, dataset_id=people_ds.id, name="x",
                                  config=CONFIG)
    with pytest.raises(Forbidden):
        service.mask_dataset(session=session, actor=factory.actor(Role.BUYER), vault=vault,
                             dataset_id=people_ds.id, name="x")
    assert vault_files(vault) == before
    assert not (vault.key_dir / "deid").exists()


@pytest.mark.parametrize("bad", ["policy", "k", "qi", "name"])
def test_bad_requests_leave_no_dataset_no_file_no_lineage(
        session: Session, provider: Actor, vault: Vault, people_ds: Dataset, bad: str) -> None:
    before = vault_files(vault)
    with pytest.raises((Invalid, PolicyViolation)):
        if bad == "policy":
            policy = parse_policy({"columns": {"no_such_column": {"operator": "redact"}}})
            service.mask_dataset(session=session, actor=provider, vault=vault, dataset_id=people_ds.id,
                                 name="x", policy=policy)
        elif bad == "name":
            service.mask_dataset(session=session, actor=provider, vault=vault, dataset_id=people_ds.id, name=" ")
        else:
            config = AnonymizeConfig(qi=("年龄",), k=401) if bad == "k" else AnonymizeConfig(qi=("nope",))
            service.anonymize_dataset(session=session, actor=provider, vault=vault, dataset_id=people_ds.id,
                                      name="x", config=config)
    assert vault_files(vault) == before
    assert session.scalar(select(func.count()).select_from(Dataset)) == 1
    assert session.scalar(select(func.count()).select_from(DatasetLineage)) == 0


def test_failure_after_the_derived_file_is_written_rolls_back_file_and_rows(
        sessions: sessionmaker[Session], session: Session, provider: Actor, vault: Vault, people_ds: Dataset,
        monkeypatch: pytest.MonkeyPatch) -> None:
    session.flush()  # visible to the unit of work on the same connection; no commit (SQLite would keep it)
    before = vault_files(vault)

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the lineage insert failed")

    monkeypatch.setattr(service, "record_lineage", fail)
    with pytest.raises(RuntimeError, match="lineage insert"), unit_of_work(sessions) as work:
        service.anonymize_dataset(session=work, actor=provider, vault=vault, dataset_id=people_ds.id, name="x",
                                  config=CONFIG)
    assert vault_files(vault) == before
    with unit_of_work(sessions) as work:
        assert [d.id for d in work.scalars(select(Dataset))] == [people_ds.id]


def test_derived_dataset_becomes_a_new_version_of_the_owners_resource(
        session: Session, provider: Actor, factory: Factory, vault: Vault, people_ds: Dataset) -> None:
    resource = factory.resource(provider)
    before = resource.current_version
    lineage = service.anonymize_dataset(session=session, actor=provider, vault=vault, dataset_id=people_ds.id,
                                        name="v2", config=CONFIG, resource_id=resource.id)
    session.refresh(resource)
    version = resource.latest_version()
    assert version is not None and version.number == before + 1 == lineage.resource_version
    derived = node.get_dataset(session=session, actor=provider, dataset_id=lineage.dataset_id)
    assert (version.content_hash, version.row_count) == (derived.content_hash, derived.row_count)
    assert lineage.resource_id == resource.id


def test_registering_on_another_partys_resource_fails_and_leaves_nothing(
        sessions: sessionmaker[Session], session: Session, provider: Actor, factory: Factory, vault: Vault,
        people_ds: Dataset) -> None:
    foreign = factory.resource(factory.actor(Role.PROVIDER))
    session.flush()  # visible to the unit of work on the same connection; no commit (SQLite would keep it)
    before = vault_files(vault)
    with pytest.raises(NotFound), unit_of_work(sessions) as work:
        service.mask_dataset(session=work, actor=provider, vault=vault, dataset_id=people_ds.id, name="x",
                             policy=TOKENS, resource_id=foreign.id)
    assert vault_files(vault) == before
    with unit_of_work(sessions) as work:
        assert work.scalar(select(func.count()).select_from(DatasetLineage)) == 0
