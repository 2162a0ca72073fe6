from alembic import context

from app.models.master import MasterBase

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=MasterBase.metadata)
with context.begin_transaction():
    context.run_migrations()
