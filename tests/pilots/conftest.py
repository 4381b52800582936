"""Fixtures for the application portal: the real register from ../shared/data,
rounds, signed-in applicants and a small valid PDF."""

import datetime
import io
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def oslo(*args, **kwargs):
    return datetime.datetime(*args, tzinfo=OSLO, **kwargs)


def _require_data():
    directory = Path(settings.REFERENCE_DATA_DIR)
    if not (directory / "municipalities_2024.csv").is_file():
        pytest.skip(f"Reference data not found in {directory} (set REFERENCE_DATA_DIR)")
    return directory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real register once into the test database (committed, so every
    test sees it). Transactional tests flush it; `register` reloads it then."""
    from pilots.reference import load_from_csv

    directory = Path(settings.REFERENCE_DATA_DIR)
    if (directory / "municipalities_2024.csv").is_file():
        with django_db_blocker.unblock():
            load_from_csv(directory)


@pytest.fixture
def register(db):
    from pilots.models import Municipality
    from pilots.reference import load_from_csv

    directory = _require_data()
    if not Municipality.objects.exists():
        load_from_csv(directory)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def municipality(number, on=datetime.date(2026, 1, 1)):
    from pilots.models import Municipality

    return Municipality.objects.valid_on(on).get(number=number)


def make_round(**overrides):
    from django.utils import timezone

    from pilots.models import Round

    now = timezone.now()
    fields = {
        "name": "Testrunde",
        "opens_at": now - datetime.timedelta(days=10),
        "closes_at": now + datetime.timedelta(days=10),
        "supplement_deadline": now + datetime.timedelta(days=30),
        "max_amount": 2_000_000,
        "budget_total": 10_000_000,
    }
    fields.update(overrides)
    return Round.objects.create(**fields)


@pytest.fixture
def open_round(register):
    return make_round()


def make_user(email):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username=email, email=email)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def applicant(db):
    return make_user("ola@kommune.example")


@pytest.fixture
def other_applicant(db):
    return make_user("kari@annen.example")


# Real classes from SSB's 2023 index (centrality_ssb_2023_municipalities_2024.csv).
CLASS_6 = "1151"  # Utsira, index 293
CLASS_6B = "1134"  # Suldal
CLASS_6C = "1144"  # Kvitsøy
CLASS_5 = "1111"  # Sokndal
CLASS_4 = "1101"  # Eigersund
CLASS_4B = "1516"  # Ulstein
CLASS_3 = "1106"  # Haugesund
CLASS_1 = "0301"  # Oslo


def complete_application(round, user, lead=CLASS_6, partners=()):
    """An application with every section answered, ready to submit."""
    from pilots import services
    from pilots.models import Application, BudgetLine, Contact

    application = Application.objects.create(
        round=round,
        created_by=user,
        title="Vekst i fjellbygdene",
        summary="Et samarbeid om bolig, arbeid og tjenester.",
        challenges="Nedgang i folketallet siden 2000 og få arbeidsplasser utenfor offentlig sektor.",
        themes="Bolig, næring, kompetanse",
        measures="Felles boligprogram og næringshage.",
        transfer_value="Modellen kan brukes av andre små kommuner.",
        organisation="Styringsgruppe med ordførerne.",
        council_decision="made",
        amount_applied=1_500_000,
        own_contribution=500_000,
    )
    services.set_municipalities(application, municipality(lead), [municipality(n) for n in partners])
    Contact.objects.create(
        application=application, name="Ola Nordmann", role="Rådgiver", email=user.email, phone="22 24 70 01"
    )
    BudgetLine.objects.create(application=application, description="Prosjektleder", amount=1_200_000)
    BudgetLine.objects.create(application=application, description="Tiltak", amount=800_000)
    return application


def pdf_bytes(text="Vedlegg"):
    """A small valid one-page PDF written by pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def load_pilots_demo():
    """The policy tree plus this app's demo loader (not the other apps' loaders)."""
    import io

    from pilots.demo import load_demo
    from policy.demo import load_policy_tree

    home = load_policy_tree()
    load_demo(home, io.StringIO())
    return home


@pytest.fixture
def pilots_demo(register, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return load_pilots_demo()


@pytest.fixture
def pilots_live_site(transactional_db, live_server):
    """A live server with the policy tree and the pilots demo content only, so these
    browser tests do not depend on other apps' demo loaders."""
    from wagtail.models import Site

    load_pilots_demo()
    site = Site.objects.get(is_default_site=True)
    host, port = live_server.url.removeprefix("http://").split(":")
    site.hostname, site.port = host, int(port)
    site.save()
    return live_server
