"""Vocabularies of the three separated rights."""

from __future__ import annotations

from enum import StrEnum


class RightKind(StrEnum):
    HOLDING = "holding"        # 数据资源持有权
    PROCESSING = "processing"  # 数据加工使用权
    OPERATION = "operation"    # 数据产品经营权


class RightOrigin(StrEnum):
    ORIGINAL = "original"        # 原始取得 (declared at registration)
    GRANTED = "granted"          # 许可 (licensed by a holder of the parent right)
    TRANSFERRED = "transferred"  # 转让
    SUCCEEDED = "succeeded"      # 继受 (merger, split, dissolution, bankruptcy)


class RightStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"
    TRANSFERRED = "transferred"  # passed on to a new holder; the new record is the child
    SUCCEEDED = "succeeded"      # passed on by succession


class SuccessionEvent(StrEnum):
    MERGER = "merger"            # 合并
    SPLIT = "split"              # 分立
    DISSOLUTION = "dissolution"  # 解散
    BANKRUPTCY = "bankruptcy"    # 破产


RIGHT_KIND_ZH = {RightKind.HOLDING: "数据资源持有权", RightKind.PROCESSING: "数据加工使用权",
                 RightKind.OPERATION: "数据产品经营权"}

# Actions a right can permit (an ODRL-like vocabulary; the market issue extends it).
ACTIONS = ("hold", "use", "process", "analyze", "derive", "operate", "distribute", "sublicense", "transfer")
ANY = "*"
