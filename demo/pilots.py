"""Demo content: the 2022 round (closed) and an open demo round a new user can apply to.

Idempotent: rounds are found by name and pages by slug. The demo round's deadline
is moved to four weeks ahead whenever it has passed, so `make run` always offers an
open round."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone

from demo.site import upsert_page
from pilots.models import Municipality, Round
from pilots.register.reference import load_from_csv
from policy.models import TopicPage
from tests.factories.pilots import PilotCallPageFactory

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
# The e-mail domains of the demo round's municipalities (those the demo applications in
# demo/casework.py name, and Askvoll and Fjaler to try an application for someone else's
# municipality): each municipality's real public domain, <name>.kommune.no. Only these
# are filled in; elsewhere staff register domains in the admin (Kommuner (fullmakt)).
# Organisation numbers are left blank: they come from the Central Coordinating Register.
DEMO_EMAIL_DOMAINS = {
    "1815": "vega.kommune.no",
    "1816": "vevelstad.kommune.no",
    "1825": "grane.kommune.no",
    "1826": "hattfjelldal.kommune.no",
    "1839": "beiarn.kommune.no",
    "1856": "rost.kommune.no",
    "1857": "varoy.kommune.no",
    "4645": "askvoll.kommune.no",
    "4646": "fjaler.kommune.no",
    "5516": "gratangen.kommune.no",
    "5518": "lavangen.kommune.no",
    "5522": "salangen.kommune.no",
    "5528": "dyroy.kommune.no",
}
ROUND_2022 = "Bygdevekstavtaler 2022"
DEMO_ROUND = "Demo: utlysing av bygdevekstavtaler (prøverunde)"

CALL_TEXT_2022 = (
    "<p>Regjeringen lyser ut midler til utprøving av bygdevekstavtaler i inntil fem pilotområder i de minst "
    "sentrale delene av Distrikts-Norge. Den samlede rammen er 10 millioner kroner, og hvert pilotområde kan få "
    "inntil 2 millioner kroner.</p>"
    "<p>Alle kommuner i sentralitetsklasse 5 og 6 kan søke. En kommune i klasse 4 kan bare søke sammen med en "
    "kommune i klasse 5 eller 6. Flere kommuner kan søke sammen.</p>"
    "<p>Kommunestyrevedtak kan ettersendes til og med 21. oktober 2022.</p>"
)
CALL_TEXT_DEMO = (
    "<p>Dette er en prøverunde i demoversjonen av nettstedet, slik at du kan prøve søknadsskjemaet. "
    "Ingenting du sender inn her, blir behandlet.</p>"
    "<p>Reglene er de samme som i 2022: kommuner i sentralitetsklasse 5 og 6 kan søke, og en kommune i klasse 4 "
    "kan være med sammen med en kommune i klasse 5 eller 6.</p>"
)


def _oslo(*args):
    return datetime.datetime(*args, tzinfo=OSLO)


def load_demo(home_page, stdout):
    # The set-up loads the register; this covers a database that skipped it.
    if not Municipality.objects.exists():
        load_from_csv(settings.REFERENCE_DATA_DIR)
    topic = TopicPage.objects.filter(slug="bygdevekstavtaler").first() or home_page

    round_2022, _ = Round.objects.update_or_create(
        name=ROUND_2022,
        defaults={
            # The 2022 call was published in June without a known day: 1 June is assumed.
            "opens_at": _oslo(2022, 6, 1, 0, 0, 0),
            "closes_at": _oslo(2022, 9, 30, 23, 59, 59),
            "grace_minutes": 60,
            "supplement_deadline": _oslo(2022, 10, 21, 23, 59, 59),
            "max_pilots": 5,
            "max_amount": 2_000_000,
            "budget_total": 10_000_000,
            "eligible_classes": [5, 6],
            "conditional_classes": [4],
        },
    )
    upsert_page(
        topic,
        PilotCallPageFactory,
        "utlysing-2022",
        title="Utlysing: pilotområder for bygdevekstavtaler 2022",
        language="nb",
        ingress="Kommuner i de minst sentrale delene av landet kunne søke om å bli pilotområde for bygdevekstavtaler.",
        round=round_2022,
        body=CALL_TEXT_2022,
    )
    now = timezone.now()
    demo = Round.objects.filter(name=DEMO_ROUND).first()
    if demo is None or demo.closes_at <= now:
        closes_day = timezone.localtime(now, OSLO).date() + datetime.timedelta(weeks=4)
        closes_at = _oslo(closes_day.year, closes_day.month, closes_day.day, 23, 59, 59)
        supplement_day = closes_day + datetime.timedelta(weeks=3)
        demo, _ = Round.objects.update_or_create(
            name=DEMO_ROUND,
            defaults={
                "opens_at": now - datetime.timedelta(days=1),
                "closes_at": closes_at,
                "grace_minutes": 60,
                "supplement_deadline": _oslo(supplement_day.year, supplement_day.month, supplement_day.day, 23, 59, 59),
                "max_pilots": 5,
                "max_amount": 2_000_000,
                "budget_total": 10_000_000,
                "eligible_classes": [5, 6],
                "conditional_classes": [4],
            },
        )
    _register_demo_email_domains(demo)
    demo_page = upsert_page(
        topic,
        PilotCallPageFactory,
        "demo-utlysing",
        title="Demo: søk om å bli pilotområde for bygdevekstavtaler",
        language="nb",
        ingress="En åpen prøverunde der du kan prøve søknadsskjemaet.",
        round=demo,
        body=CALL_TEXT_DEMO,
    )
    url = demo_page.get_url() or ""
    if url.startswith("/"):
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    stdout.write(
        f"Søknadsportalen: {url} → «Start søknad», skriv inn en hvilken som helst "
        "e-postadresse og åpne innloggingslenken i den nyeste filen i .local/mail/ (MAILER_URL=filebased://…; "
        "e-post sendes av db_worker)."
    )


def _register_demo_email_domains(round):
    """Give the demo round's municipalities their e-mail domain, unless staff have set one,
    so signing in as postmottak@askvoll.kommune.no shows an application that is confirmed
    at once, and any other address one that waits for a case handler."""
    for municipality in round.municipalities().filter(number__in=DEMO_EMAIL_DOMAINS, email_domains=[]):
        municipality.email_domains = [DEMO_EMAIL_DOMAINS[municipality.number]]
        municipality.save(update_fields=["email_domains"])
