from alembic import context

from app.models.studio import StudioBase

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=StudioBase.metadata)
with context.begin_transaction():
    context.run_migrations()
