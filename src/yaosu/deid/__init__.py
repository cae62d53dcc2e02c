"""De-identification into the vault: derived datasets with lineage, product keys, DP budgets and releases."""
