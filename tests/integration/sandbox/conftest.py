"""Fixtures for the sandbox services (shared with the web tests through tests/sandbox_deals.py)."""

from tests.sandbox_deals import deal, vault

__all__ = ["deal", "vault"]
