"""French and English: the catalogue is complete and compiled, and a studio's pages, portal and
assistant use its language while the platform stays in English."""

from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import app as app_package
from app.models.studio import StudioProfile
from e2e.fakes.anthropic_server import fake_text

APP = Path(app_package.__file__).parent
FRENCH = APP / "translations" / "fr" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "N_": None, "Field": (1,), "Rows": (1,)}


def french_catalogue():
    with (FRENCH / "messages.po").open("rb") as po:
        return read_po(po)


def test_every_marked_string_has_a_french_translation():
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    marked = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(APP, method_map, keywords=KEYWORDS)
    }
    translated = {m.id for m in french_catalogue() if m.id and m.string}
    assert sorted(marked - translated) == [], "run scripts/translations extract, translate, then compile"


def test_the_committed_mo_is_the_compiled_po():
    compiled = BytesIO()
    write_mo(compiled, french_catalogue())
    assert (FRENCH / "messages.mo").read_bytes() == compiled.getvalue(), "run scripts/translations compile"


def french(open_db, browser):
    with open_db(browser.organization) as db:
        profile = db.get(StudioProfile, 1)
        profile.language, profile.time_zone = "fr", "Europe/Paris"


def test_a_french_studios_staff_pages_and_portal_are_in_french(open_db, staff_client, studio_client):
    abbey = staff_client("abbey")
    french(open_db, abbey)
    dashboard = abbey.get("/dashboard").get_data(as_text=True)
    assert '<html lang="fr">' in dashboard
    assert (
        ">Tableau de bord</a>" in dashboard
        and ">Planning</a>" in dashboard
        and "Aujourd’hui" not in dashboard
    )
    assert "Aujourd'hui" in dashboard or "Aujourd&#39;hui" in dashboard
    calendar = abbey.get("/calendar?date=2027-03-28").get_data(as_text=True)
    assert "dimanche 28 mars 2027" in calendar and ">Semaine</option>" in calendar
    form = abbey.get("/bookings/new").get_data(as_text=True)
    assert ">Salle</label>" in form and "Choisir une salle" in form
    refused = abbey.post_form("/bookings/new", {"room_id": "", "client_id": ""})
    assert "Choisissez une des salles du studio." in refused.get_data(as_text=True)
    sign_in = studio_client("abbey").get("/client/login").get_data(as_text=True)
    assert "<h1>Espace client</h1>" in sign_in and ">Se connecter</button>" in sign_in


def test_the_platform_and_an_english_studio_stay_in_english(client, staff_client):
    abbey = staff_client("abbey")
    assert '<html lang="en">' in client.get("/signup").get_data(as_text=True)
    dashboard = abbey.get("/dashboard").get_data(as_text=True)
    assert '<html lang="en">' in dashboard and ">Dashboard</a>" in dashboard


def test_the_assistant_is_told_the_studios_language(open_db, staff_client, fake_anthropic, ask):
    abbey = staff_client("abbey")
    french(open_db, abbey)
    fake_anthropic.queue(fake_text("Bonjour"))
    assert ask(abbey, "Combien de clients ?").status_code == 200
    system = fake_anthropic.requests[0]["body"]["system"]
    assert system.startswith("Answer in French, the studio's language.")
    assert "The studio's time zone is Europe/Paris" in system


def test_a_translated_refusal_that_quotes_a_name_is_still_escaped(open_db, staff_client):
    abbey = staff_client("abbey")
    french(open_db, abbey)
    abbey.post_form("/rooms/new", {"name": "<i>Live</i>", "hourly_rate": "10", "is_active": "on"})
    abbey.post_form("/clients/new", {"name": "Ada"})
    day = (datetime.now(UTC) + timedelta(days=3)).date()
    near = {"room_id": "1", "client_id": "1", "starts_at": f"{day}T10:00", "ends_at": f"{day}T11:00"}
    abbey.post_form("/bookings/new", near)
    page = abbey.post_form("/bookings/new", near).get_data(as_text=True)
    assert "&lt;i&gt;Live&lt;/i&gt; is already booked" in page and "<i>Live</i>" not in page
