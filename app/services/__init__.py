"""Studio domain logic shared by the staff pages, the client portal and the AI assistant.

Every function takes the studio's SQLAlchemy Session (`db`, from `studio_db.session`), validates its input,
flushes, and leaves the commit to the caller, so one request is one transaction.
"""
