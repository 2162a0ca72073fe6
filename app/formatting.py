"""Amounts and dates as the studio's language writes them (Babel's CLDR data): '€1,234.50' in
English, '1 234,50 €' in French; money is kept in integer cents and formatted only here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency


def format_money(cents: int, currency: str, language: str) -> str:
    """Cents of `currency` as `language` writes an amount, with the currency's own decimals."""
    return format_currency(Decimal(cents).scaleb(-2), currency, locale=language)


def format_day(day: date, language: str, form: str = "medium") -> str:
    """A date as `language` writes it: 'Dec 1, 2026' / '1 déc. 2026' (medium), or 'full' with the weekday."""
    return format_date(day, format=form, locale=language)
