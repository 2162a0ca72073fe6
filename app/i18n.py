"""French and English: the studio's language (its profile) for its staff pages and its clients'
portal; English on the platform's pages. Flask-Babel with the catalogues in app/translations.

The catalogue is kept in the repository both as the .po people edit and as the compiled .mo the app
reads, so the image needs no build step; `scripts/translations` extracts, updates and compiles them,
and a test fails when the .mo is not the compilation of the .po.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_babel import Babel, get_locale, gettext
from sqlalchemy.exc import SQLAlchemyError

DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is declared (enum labels); translated where shown."""
    return message


def studio_language() -> str:
    """The current studio's language, English elsewhere (the platform, a request with no studio)."""
    if not has_request_context() or getattr(g, "studio", None) is None:
        return DEFAULT_LANGUAGE
    from app.extensions import studio_db
    from app.services.studio_profile import studio_profile

    try:
        return studio_profile(studio_db.session).language
    except (SQLAlchemyError, LookupError):  # a busy studio pool raises sqlalchemy's TimeoutError
        return DEFAULT_LANGUAGE  # the error page about the studio's database itself still renders


def translated(options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A select's (value, label) pairs with the labels in the page's language."""
    return [(value, gettext(label)) for value, label in options]


def init_app(app) -> None:
    Babel(app, locale_selector=studio_language, default_translation_directories="translations")
    app.jinja_env.globals["current_language"] = lambda: str(get_locale() or DEFAULT_LANGUAGE)
    app.jinja_env.globals["translated"] = translated
    # For a string known only at run time (a label, a refusal): translated, then escaped like any
    # value. Jinja's own _() would mark it safe and %-format it, which a refusal quoting a name
    # must never be.
    app.jinja_env.filters["translate"] = gettext
