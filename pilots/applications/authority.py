"""Who may act for a municipality: an application locks a municipality for its round
only once its authority to act for it is *established*.

Anyone can sign in and name any municipality, so naming one proves nothing. The
applicant's claim is established by one of the sources in the setting
`PILOTS_AUTHORITY_SOURCES` (dotted paths, tried in order):

- `AltinnRoles`: the person signed in with ID-porten and Altinn says they hold a role
  for the municipality's organisation number (altinn.py);
- `RegisteredEmailDomain`: the address proven at sign-in is on an e-mail domain
  staff have registered for the municipality.

The third way is a case handler's confirmation after contacting the municipality
(casework.services.confirm_authority). Whichever way, it is recorded as one
`MunicipalityAuthority` row per application and municipality; applications.services
claims the municipality for the round only for recorded rows.

A source is a class with `source` (an `AuthoritySource`), `find(identity,
municipalities)` -> {municipality pk: evidence text} and `why_not(identity)` -> a
sentence for the applicant saying why it did not establish it ("" when the
source does not apply)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from pilots.register.models import Municipality

from . import altinn
from .models import Application
from .status import ACTIVE, Status

DEFAULT_SOURCES = [
    "pilots.applications.authority.AltinnRoles",
    "pilots.applications.authority.RegisteredEmailDomain",
]


class AuthoritySource(models.TextChoices):
    ALTINN = "altinn", "Rolle i Altinn"
    EMAIL_DOMAIN = "email-domain", "Registrert e-postdomene"
    CASE_HANDLER = "case-handler", "Bekreftet av saksbehandler"


class MunicipalityAuthority(models.Model):
    """The application may act for one of its municipalities, and how we know."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="authorities")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("grunnlag", max_length=20, choices=AuthoritySource.choices)
    evidence = models.CharField("dokumentasjon", max_length=300, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="søker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bekreftet av",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField("merknad", blank=True)
    established_at = models.DateTimeField("bekreftet", default=timezone.now)

    class Meta:
        verbose_name = "fullmakt for kommune"
        verbose_name_plural = "fullmakter for kommuner"
        constraints = [
            models.UniqueConstraint(fields=["application", "municipality"], name="one_authority_per_municipality")
        ]

    def __str__(self):
        return f"{self.municipality} i {self.application}: {self.get_source_display()}"


# --- Sources ---------------------------------------------------------------------------


class RegisteredEmailDomain:
    source = AuthoritySource.EMAIL_DOMAIN

    def find(self, identity, municipalities):
        address = identity.email or ""
        domain = address.rpartition("@")[2].lower()
        return {m.pk: f"Logget inn med e-post på {domain}" for m in municipalities if m.has_email_domain(address)}

    def why_not(self, identity):
        if not identity.email:
            return gettext("Innloggingen ga oss ingen e-postadresse å kjenne deg igjen på.")
        return gettext(
            "E-postadressen du logget inn med (%(email)s), er ikke på et e-postdomene vi har registrert for kommunen."
        ) % {"email": identity.email}


class AltinnRoles:
    source = AuthoritySource.ALTINN

    def find(self, identity, municipalities):
        wanted = [m for m in municipalities if m.organisation_number]
        if identity.method != "idporten" or not wanted or not altinn.configured():
            return {}
        numbers = altinn.organisations_with_roles(identity.subject) or set()
        return {
            m.pk: f"Rolle i Altinn for organisasjonsnummer {m.organisation_number}"
            for m in wanted
            if m.organisation_number in numbers
        }

    def why_not(self, identity):
        if not altinn.configured():
            return ""
        if identity.method != "idporten":
            return gettext("Du logget ikke inn med ID-porten, så vi kunne ikke slå opp rollene dine i Altinn.")
        return gettext("Vi fant ingen rolle for deg i Altinn for kommunen.")


def sources():
    return [import_string(path)() for path in getattr(settings, "PILOTS_AUTHORITY_SOURCES", DEFAULT_SOURCES)]


# --- Checks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    source: str
    evidence: str


def identity_of(user):
    """The applicant identity (portal.ApplicantIdentity) through its reverse accessor,
    since applications may not import the portal; staff never act as applicants."""
    if user is None or not user.is_authenticated or user.is_staff:
        return None
    try:
        return user.applicant_identity
    except ObjectDoesNotExist:
        return None


def look_up(user, municipalities):
    """What the sources say about `user` and `municipalities`: {pk: Finding} for the
    ones established. Reads only; may ask Altinn over HTTP, so call it outside row locks."""
    identity = identity_of(user)
    found = {}
    if identity is None:
        return found
    for source in sources():
        remaining = [m for m in municipalities if m.pk not in found]
        if not remaining:
            break
        for pk, evidence in source.find(identity, remaining).items():
            found[pk] = Finding(source.source, evidence)
    return found


def recorded(application):
    """Municipality pks whose authority is recorded for `application`."""
    return set(MunicipalityAuthority.objects.filter(application=application).values_list("municipality_id", flat=True))


def record(application, user, found, municipalities):
    """Record the findings (from `look_up`) for the application's current
    `municipalities`; returns every municipality pk now established for it."""
    established = recorded(application)
    current = {m.pk for m in municipalities}
    MunicipalityAuthority.objects.bulk_create(
        [
            MunicipalityAuthority(
                application=application,
                municipality_id=pk,
                source=finding.source,
                evidence=finding.evidence,
                person=user,
            )
            for pk, finding in found.items()
            if pk in current and pk not in established
        ],
        ignore_conflicts=True,
    )
    return established | (set(found) & current)


# --- What the applicant is told ---------------------------------------------------------


@dataclass
class Notice:
    """The municipalities the applicant's authority is not established for, and why."""

    municipalities: list = field(default_factory=list)
    reasons: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.municipalities)

    @property
    def names(self):
        names = [gettext("%(name)s kommune") % {"name": m.display_name} for m in self.municipalities]
        if len(names) == 1:
            return names[0]
        return gettext("%(first)s og %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def notice(application, user, *, ask_sources=True):
    """What to tell `user` about `application`'s unconfirmed municipalities.

    With `ask_sources` (the task list, before submitting) the sources are asked now;
    without (the receipt) only what was recorded counts. The text is the same whether
    or not anyone else has applied for the municipality."""
    if application.status not in (Status.DRAFT, *ACTIVE):
        return Notice()  # decided or withdrawn: nothing left to confirm
    municipalities = [link.municipality for link in application.municipality_links.select_related("municipality")]
    established = recorded(application)
    if ask_sources:
        established |= set(look_up(user, [m for m in municipalities if m.pk not in established]))
    missing = [m for m in municipalities if m.pk not in established]
    if not missing:
        return Notice()
    identity = identity_of(user)
    if identity is None:
        reasons = [gettext("Vi kan ikke se av innloggingen din at du arbeider for kommunen.")]
    else:
        reasons = [text for text in (source.why_not(identity) for source in sources()) if text]
    return Notice(missing, reasons)
