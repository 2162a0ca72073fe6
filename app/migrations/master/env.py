from alembic import context

from app.models.master import MasterBase
from app.tenancy.migrations import take_migration_lock

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=MasterBase.metadata)
with context.begin_transaction():
    take_migration_lock(connection)
    context.run_migrations()
