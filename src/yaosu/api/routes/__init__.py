"""One module per domain; app.py mounts each router explicitly."""
