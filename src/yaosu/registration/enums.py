"""Registration vocabularies (shared/DOMAIN.md §9, Shenzhen 2023 practice)."""

from __future__ import annotations

from enum import StrEnum


class RegistrationKind(StrEnum):
    INITIAL = "initial"            # 首次登记
    LICENCE = "licence"            # 许可登记
    TRANSFER = "transfer"          # 转移登记
    CHANGE = "change"              # 变更登记
    CANCELLATION = "cancellation"  # 注销登记
    OBJECTION = "objection"        # 异议登记


class RegistrationStatus(StrEnum):
    SUBMITTED = "submitted"  # awaiting formal review
    NOTICE = "notice"        # 公示中
    CERTIFIED = "certified"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ObjectionStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"


KIND_ZH = {RegistrationKind.INITIAL: "首次登记", RegistrationKind.LICENCE: "许可登记",
           RegistrationKind.TRANSFER: "转移登记", RegistrationKind.CHANGE: "变更登记",
           RegistrationKind.CANCELLATION: "注销登记", RegistrationKind.OBJECTION: "异议登记"}
