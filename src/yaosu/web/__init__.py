"""The server-rendered portal (门户): Jinja2 pages over the same services as the API."""
