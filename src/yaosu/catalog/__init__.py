"""The catalog of registered resources: search on Chinese text, filters, DCAT export."""
