"""Statuses and roles: a StrEnum per column, carrying the labels the pages show.

The enum is the only list of allowed values: the column's CHECK constraint is generated from it,
in the model (`enum_type`) and in the migration that creates the constraint (`allowed`). A test
compares every migrated CHECK with its enum.
"""

from __future__ import annotations

import enum

import sqlalchemy as sa


class LabelledEnum(enum.StrEnum):
    """Members are declared `NAME = "stored value", "Label shown"`; a member is its stored string."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]

    @classmethod
    def options(cls) -> list[tuple[str, str]]:
        """(value, label) pairs, in declaration order, for a select."""
        return [(member.value, member.label) for member in cls]


def enum_type(enum_class: type[LabelledEnum], *, constraint: str, length: int) -> sa.Enum:
    """A text column holding `enum_class`'s values, read back as members, with a CHECK named `constraint`."""
    return sa.Enum(
        enum_class,
        name=constraint,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )


def allowed(column: str, enum_class: type[LabelledEnum]) -> sa.ColumnElement[bool]:
    """The CHECK condition `enum_type` puts on `column`, for a migration that adds the constraint."""
    return sa.column(column).in_(enum_class.values())
