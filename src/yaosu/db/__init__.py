"""Storage: SQLAlchemy 2 over SQLite (embedded default) and PostgreSQL, migrated by Alembic."""
