"""Benchmark data: submitted, draft and withdrawn applications spread over past rounds.

Rounds are named with ROUND_PREFIX and applicants have addresses in the bench
domain, so `remove()` deletes exactly them (and the deadline-rush data of
tests/perf, which uses the same tags). At most 250 applications per round keeps
every submitted application's lead municipality claimed once per round.
"""

import datetime
import math
import random
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from pilots.applications.services import REFERENCE_ALPHABET
from pilots.models import (
    Application,
    ApplicationMember,
    ApplicationMunicipality,
    Attachment,
    BudgetLine,
    Contact,
    Invitation,
    Municipality,
    Round,
    RoundMunicipalityClaim,
)
from tests.perf.data.common import BENCH_DOMAIN, chunks, paragraph, sentence

ROUND_PREFIX = "Bench: "
PER_ROUND = 250
STATUSES = [Application.Status.DRAFT, Application.Status.SUBMITTED, Application.Status.WITHDRAWN]
# The budget section complete: the lines add up to the amount applied for plus the own contribution.
AMOUNTS = {"amount_applied": 1_500_000, "own_contribution": 500_000}
BUDGET_LINES = [("Prosjektleder", 1_200_000), ("Tiltak", 800_000)]


def _reference(prefix, year, used):
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        reference = f"{prefix}-{year % 100:02d}-{code}"
        if reference not in used:
            used.add(reference)
            return reference


def generate(count, progress):
    municipalities = list(Municipality.objects.valid_on(datetime.date(2024, 6, 1)).values_list("pk", flat=True))
    if not municipalities:
        return  # no reference data on this machine
    rng = random.Random(5)  # noqa: S311 - repeatable test data, not secrets
    start = Round.objects.filter(name__startswith=ROUND_PREFIX + "utlysing").count()
    used = set(Application.objects.exclude(reference=None).values_list("reference", flat=True))
    rounds_needed = math.ceil(count / PER_ROUND)
    with transaction.atomic():
        for r in range(rounds_needed):
            closes = timezone.make_aware(datetime.datetime(2024, 2, 1, 23, 59, 59)) + datetime.timedelta(
                days=40 * (start + r)
            )
            round = Round.objects.create(
                name=f"{ROUND_PREFIX}utlysing {start + r + 1}",
                opens_at=closes - datetime.timedelta(days=30),
                closes_at=closes,
                eligible_classes=[1, 2, 3, 4, 5, 6],
                conditional_classes=[],
                reference_prefix="BEN",
            )
            size = min(PER_ROUND, count - r * PER_ROUND)
            _applications(round, rng.sample(municipalities, size), rng, used, r)
            progress(size)


def bench_users(tag, count):
    """`count` applicants (`<tag>-<n>@` the bench domain) who cannot sign in with a password."""
    User = get_user_model()
    users = [
        User(username=f"{tag}-{n}@{BENCH_DOMAIN}", email=f"{tag}-{n}@{BENCH_DOMAIN}", password=make_password(None))
        for n in range(count)
    ]
    User.objects.bulk_create(users)
    return users


def add_answers(applications, municipality_ids):
    """The answers besides the project text, for applications made with AMOUNTS: each
    one's lead municipality (from `municipality_ids`, in order), a contact person who is
    the applicant, and BUDGET_LINES."""
    ApplicationMunicipality.objects.bulk_create(
        ApplicationMunicipality(application=a, municipality_id=m, role=ApplicationMunicipality.Role.LEAD)
        for a, m in zip(applications, municipality_ids, strict=True)
    )
    Contact.objects.bulk_create(
        Contact(application=a, name="Testperson", role="Rådgiver", email=a.created_by.email, phone="22 24 70 01")
        for a in applications
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(application=a, description=description, amount=amount)
        for a in applications
        for description, amount in BUDGET_LINES
    )


def _applications(round, municipality_ids, rng, used, round_number):
    users = bench_users(f"soker-{round.pk}", len(municipality_ids))
    applications = []
    for user in users:
        status = rng.choices(STATUSES, weights=[1, 8, 1])[0]
        submitted = status != Application.Status.DRAFT
        applications.append(
            Application(
                round=round,
                created_by=user,
                status=status,
                reference=_reference("BEN", round.closes_at.year, used) if submitted else None,
                submitted_at=round.closes_at - datetime.timedelta(hours=rng.randrange(1, 500)) if submitted else None,
                withdrawn_at=round.closes_at if status == Application.Status.WITHDRAWN else None,
                title=sentence(rng)[:-1],
                summary=paragraph(rng, 2),
                challenges=paragraph(rng),
                themes=sentence(rng),
                measures=paragraph(rng),
                transfer_value=paragraph(rng, 2),
                organisation=paragraph(rng, 2),
                council_decision=Application.CouncilDecision.MADE,
                **AMOUNTS,
            )
        )
    for batch in chunks(applications):
        Application.objects.bulk_create(batch)
    add_answers(applications, municipality_ids)
    RoundMunicipalityClaim.objects.bulk_create(
        RoundMunicipalityClaim(round=round, municipality_id=m, application=a)
        for a, m in zip(applications, municipality_ids, strict=True)
        if a.status == Application.Status.SUBMITTED
    )


def remove():
    rounds = Round.objects.filter(name__startswith=ROUND_PREFIX)
    applications = Application.objects.filter(round__in=rounds)
    count = applications.count()
    with transaction.atomic():
        for attachment in Attachment.objects.filter(application__in=applications):
            attachment.file.delete(save=False)
        dependents = (RoundMunicipalityClaim, ApplicationMunicipality, Contact, BudgetLine, Attachment, Invitation)
        for model in (*dependents, ApplicationMember):
            model.objects.filter(application__in=applications)._raw_delete(connection.alias)
        applications._raw_delete(connection.alias)
        rounds.delete()
        users = get_user_model().objects.filter(username__endswith="@" + BENCH_DOMAIN)
        # Sessions of the rush users expire on their own; their rows are only keyed by session.
        users.delete()
    return count
