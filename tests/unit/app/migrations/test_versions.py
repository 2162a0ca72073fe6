"""Expand, then contract. A release migrates while the previous release still serves, and a
rollback returns to it without undoing migrations (DEVELOPERS.md), so a migration must not break
the previous release's code: an operation that drops or renames a table, a column or a named
object it uses must say why that is safe now, in a `# contract:` comment on or just above it
(e.g. `# contract: nothing reads sessions since release 2025-06`)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.tenancy.migrations import MIGRATIONS

DESTRUCTIVE = {"drop_table", "drop_column", "rename_table"}
DESTRUCTIVE_SQL = re.compile(r"\b(DROP\s+(TABLE|COLUMN|VIEW)|RENAME\s+(TO|COLUMN|CONSTRAINT))\b", re.I)
MARKER = "# contract:"
# Written before releases ran beside the previous one (issue 8): 0002 renames in place. How an
# upgrade from the release before it would go is in DEVELOPERS.md, "Expand, then contract".
BEFORE_RELEASES = {"studio/0002_bookings_and_staff_accounts.py"}


def _sql_text(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(_sql_text(part) for part in node.values)
    return ""


def _destructive(call: ast.Call) -> bool:
    func = call.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "op"):
        return False
    if func.attr in DESTRUCTIVE:
        return True
    if func.attr == "alter_column":
        return any(keyword.arg == "new_column_name" for keyword in call.keywords)
    if func.attr == "execute":
        return any(DESTRUCTIVE_SQL.search(_sql_text(arg)) for arg in call.args)
    return False


def unmarked(source: str) -> list[int]:
    """Lines of destructive operations outside downgrade() with no `# contract:` on or just above them."""
    tree = ast.parse(source)
    lines = source.splitlines()
    downgrade = {
        n.lineno
        for f in tree.body
        if isinstance(f, ast.FunctionDef) and f.name == "downgrade"
        for n in ast.walk(f)
        if hasattr(n, "lineno")
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _destructive(node) and node.lineno not in downgrade:
            above = node.lineno - 2
            comments = [lines[node.lineno - 1]]
            while above >= 0 and lines[above].strip().startswith("#"):
                comments.append(lines[above])
                above -= 1
            if not any(MARKER in line for line in comments):
                found.append(node.lineno)
    return sorted(found)


SAMPLE = """\
from alembic import op


def upgrade():
    op.add_column("bookings", sa.Column("notes", sa.Text(), nullable=True))
    op.drop_column("bookings", "legacy")
    # contract: nothing has read clients.fax since the release that stopped writing it
    op.drop_column("clients", "fax")
    op.alter_column("rooms", "name", nullable=False)
    op.alter_column("rooms", "title", new_column_name="name")
    op.rename_table("sessions", "bookings")  # contract: the previous release reads bookings
    op.execute("ALTER TABLE invoices RENAME COLUMN total TO total_cents")
    op.execute(f"DROP TABLE {OLD}")
    op.execute("UPDATE bookings SET status = 'booked' WHERE status IS NULL")
    op.drop_table("tmp")


def downgrade():
    op.drop_table("bookings")
"""


def test_the_check_finds_each_unmarked_destructive_operation_and_only_those():
    assert unmarked(SAMPLE) == [6, 10, 12, 13, 15]


def name(path: Path) -> str:
    return path.relative_to(MIGRATIONS).as_posix().replace("/versions/", "/")


MIGRATION_FILES = sorted(MIGRATIONS.glob("*/versions/*.py"))


def test_the_migrations_written_before_releases_are_the_ones_the_check_flags():
    assert {name(p) for p in MIGRATION_FILES if unmarked(p.read_text())} == BEFORE_RELEASES


@pytest.mark.parametrize("path", [p for p in MIGRATION_FILES if name(p) not in BEFORE_RELEASES], ids=name)
def test_every_later_migration_is_safe_for_the_previous_release(path):
    assert unmarked(path.read_text()) == [], (
        f"{path.name}: drop or rename without a `{MARKER} why` comment: the previous release, still "
        "serving while this migrates and the target of a rollback, would break (DEVELOPERS.md)"
    )
