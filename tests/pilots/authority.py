"""What the authority tests share: the municipalities of the reported attack, the
attacker's application, and submitting over HTTP."""

from django.urls import reverse

from pilots.models import RoundMunicipalityClaim
from tests.factories.pilots import ApplicationFactory

ASKVOLL = "4645"  # class 6 in SSB's 2023 index
FJALER = "4646"  # class 6
# Organisation numbers here are test values for the local Altinn double, not real ones.
ASKVOLL_ORG = "999000001"
OUTSIDER = "tulling@gmail.com"
# Words that would tell an outsider that someone else has applied.
TELLTALES = ("allerede med", "annen søknad", "andre søknader")


def one_krone_application(round, user, numbers):
    """The attacker's application: complete, with a budget of 1 kr."""
    return ApplicationFactory(
        round=round, created_by=user, municipalities=numbers, amount_applied=1, own_contribution=0, budget=[("Alt", 1)]
    )


def submit_over_http(client, application):
    """Sign in as the application's creator and send it in through the declaration page;
    returns the receipt (or the declaration page when refused)."""
    client.force_login(application.created_by)
    declaration = reverse("pilots:declaration", args=[application.round_id, application.pk])
    client.get(declaration)
    return client.post(declaration, {"confirm": "on"}, follow=True)


def claims(round):
    return dict(RoundMunicipalityClaim.objects.filter(round=round).values_list("municipality__number", "application"))
