"""Differentially private releases of aggregates through OpenDP, with a privacy budget spent per dataset."""
