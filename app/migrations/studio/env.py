from alembic import context

from app.models.studio import StudioBase
from app.tenancy.migrations import take_migration_lock

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=StudioBase.metadata)
with context.begin_transaction():
    take_migration_lock(connection)
    context.run_migrations()
