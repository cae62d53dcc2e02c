"""The owner's dataset page: lineage with the policy or config and the before/after report, budget, zh-CN and en."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.deid.test_derive import CONFIG, TOKENS
from tests.integration.web.conftest import Portal
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.deid import budget_service, service
from yaosu.node.models import Dataset
from yaosu.node.vault import Vault
from yaosu.privacy.dp.release import ReleaseSpec


@pytest.fixture
def portal(client: TestClient, session: Session) -> Portal:
    return Portal(client=client, session=session)


def test_owner_sees_lineage_policy_risk_report_and_budget_in_both_languages(
        portal: Portal, session: Session, provider: Actor, vault: Vault, people_ds: Dataset) -> None:
    masked = service.mask_dataset(session=session, actor=provider, vault=vault, dataset_id=people_ds.id,
                                  name="脱敏版", policy=TOKENS)
    anon = service.anonymize_dataset(session=session, actor=provider, vault=vault, dataset_id=people_ds.id,
                                     name="匿名版", config=CONFIG)
    budget_service.release_dataset(session=session, actor=provider, vault=vault, dataset_id=people_ds.id,
                                   spec=ReleaseSpec("count", 0.5), default_epsilon=1.0)
    session.flush()
    assert portal.login(provider).status_code == 303
    me = portal.client.get("/me").text
    assert f'href="/datasets/{people_ds.id}"' in me and "我的数据集" in me
    source = portal.client.get(f"/datasets/{people_ds.id}").text
    assert f'href="/datasets/{masked.dataset_id}"' in source and f'href="/datasets/{anon.dataset_id}"' in source
    assert "剩余 0.5" in source and "count" in source
    page = portal.client.get(f"/datasets/{masked.dataset_id}").text
    assert "脱敏策略" in page and "tokenize" in page and masked.parameters_hash in page
    assert re.search(r"身份证号: CN_ID_CARD", page) and masked.key_id in page
    page = portal.client.get(f"/datasets/{anon.dataset_id}?lang=en").text
    assert "Re-identification risk before and after" in page and "Prosecutor risk (max)" in page
    assert f"{anon.report['risk_before']['prosecutor_max']:.4f}" in page
    assert f"{anon.report['risk_after']['prosecutor_max']:.4f}" in page
    assert "<script src=\"http" not in page and "cdn" not in page.lower()


def test_another_party_gets_404(portal: Portal, factory: Factory, people_ds: Dataset) -> None:
    other = factory.actor(Role.PROVIDER)
    assert portal.login(other).status_code == 303
    assert portal.client.get(f"/datasets/{people_ds.id}").status_code == 404
