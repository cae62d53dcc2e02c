"""Traceable delivery: a buyer-specific fingerprint in every delivered copy, and tracing a leak to its buyer."""
