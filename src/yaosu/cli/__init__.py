"""The `yaosu` command line (Typer)."""
