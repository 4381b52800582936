"""What case handlers see about authority to act for a municipality: which of an
application's municipalities are unconfirmed, and the other applications in the
same round that name the same municipality, side by side.

Read-only queries for the inspect view and the listing filter; confirming is
services.confirm_authority."""

from django.db.models import Exists, OuterRef

from pilots.applications.authority import MunicipalityAuthority
from pilots.applications.models import Application, ApplicationMunicipality, RoundMunicipalityClaim
from pilots.applications.status import CASES, Status

#: Submitted and not withdrawn: the applications that compete for a municipality.
LIVE = [status for status in CASES if status != Status.WITHDRAWN]


def _authority_for_link():
    return MunicipalityAuthority.objects.filter(
        application=OuterRef("application"), municipality=OuterRef("municipality")
    )


def unconfirmed(queryset):
    """Applications with at least one municipality whose authority is not established."""
    links = ApplicationMunicipality.objects.filter(~Exists(_authority_for_link())).values("application")
    return queryset.filter(pk__in=links)


def conflicting(queryset):
    """Applications that share a municipality with another live application of their round."""
    others = ApplicationMunicipality.objects.filter(
        municipality=OuterRef("municipality"),
        application__round=OuterRef("application__round"),
        application__status__in=LIVE,
    ).exclude(application=OuterRef("application"))
    links = ApplicationMunicipality.objects.filter(Exists(others)).values("application")
    return queryset.filter(status__in=LIVE, pk__in=links)


def panel(application):
    """One row per municipality of `application`: its recorded authority (or None)
    and every live application of the round naming it, this one included, each with
    its authority and whether it holds the round's claim."""
    municipalities = [link.municipality for link in application.municipality_links.all()]
    ids = [m.pk for m in municipalities]
    competing = list(
        Application.objects.filter(
            round=application.round_id, status__in=LIVE, municipality_links__municipality__in=ids
        )
        .select_related("created_by__applicant_identity")
        .prefetch_related("municipality_links")
        .distinct()
        .order_by("submitted_at", "pk")
    )
    authorities = {
        (row.application_id, row.municipality_id): row
        for row in MunicipalityAuthority.objects.filter(
            application__in=[a.pk for a in competing], municipality__in=ids
        ).select_related("confirmed_by")
    }
    claims = dict(
        RoundMunicipalityClaim.objects.filter(round=application.round_id, municipality__in=ids).values_list(
            "municipality_id", "application_id"
        )
    )
    rows = []
    for municipality in municipalities:
        applications = [
            {
                "application": other,
                "is_this": other.pk == application.pk,
                "authority": authorities.get((other.pk, municipality.pk)),
                "holds_claim": claims.get(municipality.pk) == other.pk,
                "applicant": _applicant_address(other),
            }
            for other in competing
            if municipality.pk in _municipality_ids(other)
        ]
        rows.append(
            {
                "municipality": municipality,
                "authority": authorities.get((application.pk, municipality.pk)),
                "applications": applications,
                "conflict": len(applications) > 1,
            }
        )
    return rows


def _municipality_ids(application):
    return {link.municipality_id for link in application.municipality_links.all()}


def _applicant_address(application):
    """The address the applicant proved at sign-in (what a case handler checks against the municipality)."""
    identity = getattr(application.created_by, "applicant_identity", None)
    return (identity.email if identity else "") or application.created_by.email
