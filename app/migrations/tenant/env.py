from alembic import context

from app.models.tenant import TenantBase

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=TenantBase.metadata)
with context.begin_transaction():
    context.run_migrations()
