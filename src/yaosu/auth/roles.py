"""Roles a party can hold, and the party kinds."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PROVIDER = "provider"      # 数据提供方
    BUYER = "buyer"            # 数据需求方
    MERCHANT = "merchant"      # 数商
    OPERATOR = "operator"      # 交易所运营方
    REGULATOR = "regulator"    # 监管方
    ASSESSOR = "assessor"      # 质量/合规评估机构
    VALUER = "valuer"          # 资产评估机构
    NOTARY = "notary"          # 公证机构
    AUDITOR = "auditor"        # 审计机构
    INDIVIDUAL = "individual"  # 个人
    TRUSTEE = "trustee"        # 数据信托受托方


class PartyKind(StrEnum):
    ORGANIZATION = "organization"
    INDIVIDUAL = "individual"


class PartyStatus(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"
    SPLIT = "split"
    DISSOLVED = "dissolved"
    BANKRUPT = "bankrupt"


ROLE_LABELS_ZH: dict[Role, str] = {
    Role.PROVIDER: "数据提供方", Role.BUYER: "数据需求方", Role.MERCHANT: "数商",
    Role.OPERATOR: "交易所运营方", Role.REGULATOR: "监管方", Role.ASSESSOR: "评估机构",
    Role.VALUER: "资产评估机构", Role.NOTARY: "公证机构", Role.AUDITOR: "审计机构",
    Role.INDIVIDUAL: "个人", Role.TRUSTEE: "受托方",
}
