"""Checksums of Chinese identifiers (pure functions, no dependencies).

Rules from shared/DOMAIN.md §8: the unified social credit code (GB 32100-2015, MOD 31) and the
organization code (GB 11714-1997, MOD 11) it embeds.
"""

from __future__ import annotations

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUES = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_DEPARTMENTS = "123456789ABCDEFGY"  # position 1: registration authority
_USCC_KINDS = "1239"  # position 2: organization kind


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a USCC."""
    total = sum(_USCC_VALUES[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character for an 8-character organization code body."""
    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10
    remainder = 11 - sum(value(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid unified social credit code, or None if it is."""
    if len(code) != 18:
        return "must be 18 characters"
    if any(c not in _USCC_VALUES for c in code):
        return "contains characters outside GB 32100's alphabet (digits and A-Y without I, O, S, V, Z)"
    if code[0] not in _USCC_DEPARTMENTS or code[1] not in _USCC_KINDS:
        return "unknown registration authority or organization kind in positions 1-2"
    if not code[2:8].isdigit():
        return "positions 3-8 must be the digits of an administrative division code (GB/T 2260)"
    if code[17] != uscc_check_char(code[:17]):
        return "check character does not match (GB 32100 MOD 31)"
    return None


def is_valid_uscc(code: str) -> bool:
    """True if `code` is a valid 18-character unified social credit code."""
    return uscc_problem(code) is None
