"""`/` means signup on the apex and the signed-in person's home on a studio."""

from flask import g, redirect, url_for

from app.auth.routes import studio_home


def home():
    if g.is_platform:
        return redirect(url_for("platform.signup"))
    return studio_home()
