"""Classification and grading vocabularies (shared/DOMAIN.md §1, GB/T 43697-2024)."""

from __future__ import annotations

from enum import StrEnum


class Classification(StrEnum):
    """By data subject (GB/T 43697 Annex A): public / enterprise (organization) / personal data."""

    PUBLIC = "public"          # 公共数据
    ENTERPRISE = "enterprise"  # 企业数据
    PERSONAL = "personal"      # 个人数据


class Grade(StrEnum):
    """GB/T 43697 §6.1: core > important > general."""

    CORE = "core"            # 核心数据
    IMPORTANT = "important"  # 重要数据
    GENERAL = "general"      # 一般数据


class OpenCondition(StrEnum):
    """Public-data opening condition (无条件开放 / 有条件开放 / 不予开放)."""

    UNCONDITIONAL = "unconditional"
    CONDITIONAL = "conditional"
    NOT_OPEN = "not_open"


class ResourceStatus(StrEnum):
    DRAFT = "draft"            # created, not yet submitted for registration
    SUBMITTED = "submitted"    # registration submitted, awaiting formal review
    NOTICE = "notice"          # in public notice
    REGISTERED = "registered"  # certificate issued
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class UpdateFrequency(StrEnum):
    REALTIME = "realtime"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    ONCE = "once"


# Industry domains (GB/T 43697 §5: classify first by industry/domain).
DOMAINS: dict[str, str] = {
    "industry": "工业", "telecom": "电信", "finance": "金融", "energy": "能源",
    "transport": "交通运输", "natural_resources": "自然资源", "health": "卫生健康",
    "education": "教育", "science": "科学数据", "agriculture": "农业农村", "commerce": "商贸流通",
    "government": "政务", "culture": "文化旅游", "environment": "生态环境", "urban": "城乡建设",
    "social_security": "人力资源和社会保障", "market_regulation": "市场监管", "meteorology": "气象",
    "other": "其他",
}

CLASSIFICATION_ZH = {Classification.PUBLIC: "公共数据", Classification.ENTERPRISE: "企业数据",
                     Classification.PERSONAL: "个人数据"}
GRADE_ZH = {Grade.CORE: "核心数据", Grade.IMPORTANT: "重要数据", Grade.GENERAL: "一般数据"}
OPEN_CONDITION_ZH = {OpenCondition.UNCONDITIONAL: "无条件开放", OpenCondition.CONDITIONAL: "有条件开放",
                     OpenCondition.NOT_OPEN: "不予开放"}
