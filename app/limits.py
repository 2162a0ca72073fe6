"""Every bound on what one request may ask for, declared once.

The input layer (app/inputs.py), the query-argument helpers (app/views.py), the request guard
(app/security/input_guard.py) and the assistant's tools read these, so a page and a tool call are
bounded alike, and nothing unbounded reaches PostgreSQL or Python's date arithmetic.
"""

from __future__ import annotations

from datetime import date

# The largest request body the app reads (Flask answers 413 above it).
MAX_CONTENT_LENGTH = 1024 * 1024
# Nesting of a JSON body: the chat's is 1 deep; Python's parser would recurse until it crashed.
MAX_JSON_DEPTH = 8
# Row ids are PostgreSQL `integer` columns: a larger number can name no row.
MAX_ID = 2**31 - 1
# Dates and instants a person may type: Python's and PostgreSQL's ranges differ, and a day's or a
# booking's arithmetic must never step outside either.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
# Lines on one invoice (the form's rows, the JSON list).
MAX_INVOICE_LINES = 100
# A list's page number (pages past the last are simply empty).
MAX_PAGE = 10_000
# Rows per page of any listing, whatever the caller asks for.
MAX_PER_PAGE = 100
