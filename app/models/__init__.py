"""Typed SQLAlchemy models: `master` (the platform) and `studio` (one studio's database)."""
