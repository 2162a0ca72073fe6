"""Typed SQLAlchemy models: `master` (the platform) and `tenant` (one studio's database)."""
