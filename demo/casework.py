"""Demo content for case handling (run after demo/pilots.py, which makes the
rounds): assessment criteria for both rounds, a case handler and a decision
maker account (only with DEBUG), and six applications in the demo round in
different statuses, their titles starting with "DEMO", some with scores.

Idempotent: criteria are found by name, applications by title, accounts by
username. The demo applications use municipalities in Nordland and Troms, so they
do not take the ones the portal's browser test applies with (Rogaland)."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from demo.pilots import DEMO_ROUND, ROUND_2022
from pilots.casework import services
from pilots.casework.permissions import CASE_HANDLER_GROUP, DECISION_MAKER_GROUP, ensure_groups
from pilots.models import (
    Application,
    Criterion,
    Municipality,
    Round,
    RoundMunicipalityClaim,
)
from tests.factories.pilots import ApplicationFactory
from tests.factories.portal import ApplicantFactory

DEMO_QUESTION = (
    "Demodata: Beskriv hvordan kommunene skal dele arbeidet med boligprogrammet, "
    "og send kommunestyrevedtaket når det er gjort."
)

DEMO_ACCOUNTS = [
    ("saksbehandler", "demo-saksbehandler", CASE_HANDLER_GROUP, "Siri Saksbehandler"),
    ("beslutter", "demo-beslutter", DECISION_MAKER_GROUP, "Bjørn Beslutter"),
]
CRITERIA = [
    ("Utfordringsbilde", "Hvor godt søknaden dokumenterer demografiske og næringsmessige utfordringer."),
    ("Forankring", "Politisk og administrativ forankring i kommunene og samarbeid med fylkeskommunen."),
    ("Gjennomførbarhet", "Om tiltakene, organiseringen og budsjettet er realistiske."),
    ("Overføringsverdi", "Om erfaringene kan brukes av andre kommuner i distriktene."),
]
S = Application.Status
D = Application.Decision
#: (title, lead, partners, status, decision, scores by the demo case handler)
APPLICATIONS = [
    ("DEMO: Helgelandskysten – bo og jobbe", "1815", ["1816"], S.SHORTLISTED, D.SELECTED, [5, 4, 4, 5]),
    ("DEMO: Indre Helgeland vekstavtale", "1826", ["1825"], S.SHORTLISTED, D.NONE, [4, 4, 3, 4]),
    ("DEMO: Lofoten yttersida", "1856", ["1857"], S.IN_ASSESSMENT, D.NONE, [3, 4, None, None]),
    ("DEMO: Salten fjellbygder", "1839", [], S.MORE_INFORMATION, D.NONE, []),
    ("DEMO: Midt-Troms sammen", "5516", ["5518", "5522"], S.SUBMITTED, D.NONE, []),
    ("DEMO: Ytre Senja", "5528", [], S.SHORTLISTED, D.NONE, [2, 3, 3, 2]),
]


def load_casework_demo(home_page, stdout):
    for name in (ROUND_2022, DEMO_ROUND):
        round = Round.objects.filter(name=name).first()
        if round:
            for order, (criterion, description) in enumerate(CRITERIA):
                Criterion.objects.get_or_create(
                    round=round, name=criterion, defaults={"description": description, "sort_order": order}
                )
    ensure_groups(Group, Permission)
    accounts = _demo_accounts() if settings.DEBUG else {}
    demo_round = Round.objects.filter(name=DEMO_ROUND).first()
    if demo_round is None or not Municipality.objects.exists():
        return
    created = [_demo_application(demo_round, n, *spec, accounts) for n, spec in enumerate(APPLICATIONS)]
    if any(created):
        stdout.write(f"Saksbehandling: {sum(created)} demosøknader i «{DEMO_ROUND}».")
    if accounts:
        stdout.write(
            "Saksbehandling: logg inn på /admin/ som «saksbehandler» / «demo-saksbehandler» (vurdere og endre status) "
            "eller «beslutter» / «demo-beslutter» (velge piloter og frigi vedtak under «Portefølje (piloter)»)."
        )


def _demo_accounts():
    """The known passwords are for a developer's own machine only (DEBUG)."""
    accounts = {}
    for username, password, group, full_name in DEMO_ACCOUNTS:
        first, last = full_name.split(" ", 1)
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@kdd.example", "first_name": first, "last_name": last},
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=group))
        accounts[group] = user
    return accounts


def _demo_application(round, n, title, lead, partners, status, decision, scores, accounts):
    if Application.objects.filter(round=round, title=title).exists():
        return False
    municipalities = list(Municipality.objects.valid_on(round.register_date()).filter(number__in=[lead, *partners]))
    numbers = {m.number for m in municipalities}
    if lead not in numbers or RoundMunicipalityClaim.objects.filter(round=round, municipality__in=municipalities):
        return False  # not in this register, or someone already applied with these municipalities
    applicant = ApplicantFactory(email=f"demo-soker-{n + 1}@kommune.example")
    amount = [2_000_000, 1_800_000, 1_500_000, 1_200_000, 2_000_000, 900_000][n]
    now = timezone.now()
    year = timezone.localtime(round.closes_at).strftime("%y")
    application = ApplicationFactory(
        round=round,
        created_by=applicant,
        title=title,
        summary="Demodata: et samarbeid om bolig, arbeid og tjenester i små lokalsamfunn.",
        challenges="Demodata: nedgang i folketallet, en aldrende befolkning og få arbeidsplasser.",
        themes=["Bolig, næring", "Kompetanse, rekruttering", "Samferdsel", "Næring", "Bolig", "Kultur, næring"][n],
        measures="Demodata: felles boligprogram, næringshage og rekruttering av fagfolk.",
        transfer_value="Demodata: modellen kan brukes av andre små kommuner.",
        organisation="Demodata: styringsgruppe med ordførerne, prosjektleder i vertskommunen.",
        amount_applied=amount,
        own_contribution=500_000,
        status=S.SUBMITTED,
        reference=f"DEMO-{year}-{secrets.token_hex(3).upper()}",
        submitted_at=now,
        declaration_accepted_at=now,
        municipalities=[lead, *(number for number in partners if number in numbers)],
        contact={"name": "Demo Kontaktperson", "phone": "99 99 99 99"},
        budget=[("Prosjektleder", amount), ("Egeninnsats", 500_000)],
        authorised=True,  # as if a case handler had confirmed them with the municipalities
    )
    RoundMunicipalityClaim.objects.bulk_create(
        RoundMunicipalityClaim(round=round, municipality=m, application=application) for m in municipalities
    )
    _move_on(application, status, decision, scores, accounts)
    return True


def _move_on(application, status, decision, scores, accounts):
    """Through the real services when the demo accounts exist (so the history shows
    it); otherwise (DEBUG off, e.g. in tests of other apps) just the fields."""
    handler, decider = accounts.get(CASE_HANDLER_GROUP), accounts.get(DECISION_MAKER_GROUP)
    path = {
        S.SUBMITTED: [],
        S.IN_ASSESSMENT: [S.IN_ASSESSMENT],
        S.MORE_INFORMATION: [S.MORE_INFORMATION],
        S.SHORTLISTED: [S.IN_ASSESSMENT, S.SHORTLISTED],
    }[status]
    if handler is None:
        Application.objects.filter(pk=application.pk).update(status=status, decision=decision)
        return
    for step in path:
        question = {}
        if step == S.MORE_INFORMATION:
            question = {"question": DEMO_QUESTION, "reply_by": timezone.now() + datetime.timedelta(days=14)}
        services.change_status(application, step, handler, note="Demodata", **question)
    for criterion, score in zip(application.round.criteria.all(), scores, strict=False):
        if score:
            services.save_review(application, handler, criterion, score, "Demodata: kort begrunnelse.")
    if decision:
        services.set_decision(application, decision, decider)
