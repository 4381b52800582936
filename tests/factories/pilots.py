"""The application portal: rounds, call pages, applications (draft or submitted,
through the real services) and case handling (staff in the real groups, criteria).

Municipalities come from the real register (pilots/register/data), loaded once per test
session; `municipality("1151")` fetches one of the 2024 edition."""

import datetime

import factory
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from pilots.applications import services
from pilots.applications.authority import AuthoritySource
from pilots.casework.permissions import ensure_groups
from pilots.models import (
    Application,
    BudgetLine,
    Contact,
    Criterion,
    Municipality,
    MunicipalityAuthority,
    PilotCallPage,
    Round,
)

from .policy import BasePageFactory, StaffUserFactory
from .portal import ApplicantFactory

# Real classes from SSB's 2023 index (pilots/register/data/centrality_ssb_2023_municipalities_2024.csv).
CLASS_6 = "1151"  # Utsira, index 293
CLASS_6B = "1134"  # Suldal
CLASS_6C = "1144"  # Kvitsøy
CLASS_5 = "1111"  # Sokndal
CLASS_4 = "1101"  # Eigersund
CLASS_4B = "1516"  # Ulstein
CLASS_3 = "1106"  # Haugesund
CLASS_1 = "0301"  # Oslo


def municipality(number, on=datetime.date(2026, 1, 1)):
    return Municipality.objects.valid_on(on).get(number=number)


class RoundFactory(factory.django.DjangoModelFactory):
    """A round that opened ten days ago and closes in ten days."""

    name = factory.Sequence(lambda n: f"Testrunde {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    supplement_deadline = factory.LazyAttribute(lambda r: r.closes_at + datetime.timedelta(days=20))
    max_amount = 2_000_000
    budget_total = 10_000_000

    class Meta:
        model = Round


class PilotCallPageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Utlysing {n}")
    round = factory.SubFactory(RoundFactory)
    body = "<p>Utlysingstekst.</p>"

    class Meta:
        model = PilotCallPage
        skip_postgeneration_save = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft with every section answered, ready to submit: one municipality in
    class 6 unless `municipalities` says otherwise, a contact and two budget lines."""

    round = factory.SubFactory(RoundFactory)
    created_by = factory.SubFactory(ApplicantFactory)
    title = "Vekst i fjellbygdene"
    summary = "Et samarbeid om bolig, arbeid og tjenester."
    challenges = "Nedgang i folketallet siden 2000 og få arbeidsplasser utenfor offentlig sektor."
    themes = "Bolig, næring, kompetanse"
    measures = "Felles boligprogram og næringshage."
    transfer_value = "Modellen kan brukes av andre små kommuner."
    organisation = "Styringsgruppe med ordførerne."
    council_decision = Application.CouncilDecision.MADE
    amount_applied = 1_500_000
    own_contribution = 500_000

    class Meta:
        model = Application
        skip_postgeneration_save = True

    @factory.post_generation
    def municipalities(application, create, extracted, **kwargs):
        """Municipality numbers, lead first: `ApplicationFactory(municipalities=[CLASS_6, CLASS_4])`."""
        if create:
            numbers = list(extracted or [CLASS_6])
            services.set_municipalities(application, municipality(numbers[0]), [municipality(n) for n in numbers[1:]])

    @factory.post_generation
    def authorised(application, create, extracted, **kwargs):
        """`authorised=True`: the application's authority to act for each of its
        municipalities is already established (as a case handler's confirmation
        records it), so submitting claims them. Default: nothing established."""
        if create and extracted:
            MunicipalityAuthority.objects.bulk_create(
                MunicipalityAuthority(
                    application=application,
                    municipality=link.municipality,
                    source=AuthoritySource.CASE_HANDLER,
                    evidence="Bekreftet i testdata",
                )
                for link in application.municipality_links.all()
            )

    @factory.post_generation
    def contact(application, create, extracted, **kwargs):
        """The contact person; `contact={"name": ...}` changes some of the fields."""
        if create:
            fields = {"name": "Ola Nordmann", "role": "Rådgiver", "email": application.created_by.email}
            Contact.objects.create(application=application, **{**fields, "phone": "22 24 70 01", **(extracted or {})})

    @factory.post_generation
    def budget(application, create, extracted, **kwargs):
        """(description, amount) pairs; they must add up to amount applied plus own
        contribution for the application to be complete."""
        if create:
            lines = extracted or [("Prosjektleder", 1_200_000), ("Tiltak", 800_000)]
            BudgetLine.objects.bulk_create(
                BudgetLine(application=application, description=description, amount=amount)
                for description, amount in lines
            )


def submitted_application(status=None, **fields):
    """An application submitted through `services.submit`, optionally moved on to
    `status` by writing the field (the transitions themselves have their own tests).
    Its authority is established unless `authorised=False`, so it claims its municipalities."""
    application = ApplicationFactory(**{"authorised": True, **fields})
    services.submit(application, application.created_by)
    if status:
        Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


def staff(group=None, **fields):
    """A staff user with a password, in "Saksbehandler", "Beslutter" or Wagtail's "Editors".

    The groups come from a data migration; a transactional test's flush empties them,
    so they are made again here (with the migration's own function)."""
    if not Group.objects.filter(name="Beslutter").exists():
        ensure_groups(Group, Permission)
    user = StaffUserFactory(password="passord-123", **fields)
    if group:
        group_obj, _ = Group.objects.get_or_create(name=group)
        if group == "Editors" and not group_obj.permissions.exists():
            group_obj.permissions.add(Permission.objects.get(codename="access_admin"))
        user.groups.add(group_obj)
    return user


def criteria(round, names=("Forankring", "Overføringsverdi", "Gjennomførbarhet", "Utfordringsbilde")):
    return [Criterion.objects.create(round=round, name=name, sort_order=n) for n, name in enumerate(names)]


def register_email_domain(number, domain):
    """Staff register `domain` as one of municipality `number`'s e-mail domains."""
    target = municipality(number)
    target.email_domains = [*target.email_domains, domain]
    target.save(update_fields=["email_domains"])
    return target


def close_round(round, supplement_in=datetime.timedelta(days=5)):
    """The application deadline of `round` has passed (yesterday); late attachments are
    accepted for `supplement_in` more (None: no supplement deadline of its own)."""
    now = timezone.now()
    Round.objects.filter(pk=round.pk).update(
        closes_at=now - datetime.timedelta(days=1),
        supplement_deadline=None if supplement_in is None else now + supplement_in,
    )
    round.refresh_from_db()
    return round
