"""Data quality assessment on the six GB/T 36344-2018 dimensions (shared/DOMAIN.md §4)."""
