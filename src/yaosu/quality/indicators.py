"""The GB/T 36344-2018 dimensions and their twenty sub-indicators, as reference data (shared/DOMAIN.md §4).

Every sub-indicator is a ratio X = A/B of elements meeting the requirement over elements checked;
for the duplicate and dirty-data rates A counts the bad elements, so lower is better.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Dimension(StrEnum):
    NORMATIVITY = "normativity"      # 规范性
    COMPLETENESS = "completeness"    # 完整性
    ACCURACY = "accuracy"            # 准确性
    CONSISTENCY = "consistency"      # 一致性
    TIMELINESS = "timeliness"        # 时效性
    ACCESSIBILITY = "accessibility"  # 可访问性


DIMENSION_LABELS_ZH: dict[Dimension, str] = {
    Dimension.NORMATIVITY: "规范性", Dimension.COMPLETENESS: "完整性", Dimension.ACCURACY: "准确性",
    Dimension.CONSISTENCY: "一致性", Dimension.TIMELINESS: "时效性", Dimension.ACCESSIBILITY: "可访问性",
}


@dataclass(frozen=True)
class Indicator:
    """One sub-indicator: code, dimension, Chinese name, and whether A counts bad elements."""

    code: str
    dimension: Dimension
    name_zh: str
    lower_is_better: bool = False


_D = Dimension
INDICATORS: tuple[Indicator, ...] = (
    Indicator("data_standard", _D.NORMATIVITY, "数据标准"),
    Indicator("data_model", _D.NORMATIVITY, "数据模型"),
    Indicator("metadata", _D.NORMATIVITY, "元数据"),
    Indicator("business_rules", _D.NORMATIVITY, "业务规则"),
    Indicator("authoritative_reference", _D.NORMATIVITY, "权威参考数据"),
    Indicator("security_spec", _D.NORMATIVITY, "安全规范"),
    Indicator("element_completeness", _D.COMPLETENESS, "数据元素完整性"),
    Indicator("record_completeness", _D.COMPLETENESS, "数据记录完整性"),
    Indicator("content_correctness", _D.ACCURACY, "数据内容正确性"),
    Indicator("format_compliance", _D.ACCURACY, "数据格式合规性"),
    Indicator("duplicate_rate", _D.ACCURACY, "数据重复率", lower_is_better=True),
    Indicator("uniqueness", _D.ACCURACY, "数据唯一性"),
    Indicator("dirty_rate", _D.ACCURACY, "脏数据出现率", lower_is_better=True),
    Indicator("same_data_consistency", _D.CONSISTENCY, "相同数据一致性"),
    Indicator("related_data_consistency", _D.CONSISTENCY, "关联数据一致性"),
    Indicator("period_correctness", _D.TIMELINESS, "基于时间段的正确性"),
    Indicator("point_timeliness", _D.TIMELINESS, "基于时间点的及时性"),
    Indicator("ordering", _D.TIMELINESS, "时序性"),
    Indicator("accessibility", _D.ACCESSIBILITY, "可访问性"),
    Indicator("usability", _D.ACCESSIBILITY, "可用性"),
)
BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}


def indicator(code: str) -> Indicator:
    """The sub-indicator with this code; KeyError naming the known ones otherwise."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown quality indicator {code!r}; known: {', '.join(BY_CODE)}") from None
