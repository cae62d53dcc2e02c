"""Yaosu (要素): a trusted data-element exchange."""

__version__ = "0.1.0"
