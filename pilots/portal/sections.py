"""The open calls on the home page (registered with policy.registry in apps.py), so a
visitor finds a call that is open for applications in one click."""

from django.utils import timezone

from .models import PilotCallPage


def open_calls_context(home_page, request):
    """The live call pages on this site whose round is open now, the nearest deadline
    first. None (no section) when no call is open."""
    now = timezone.now()
    # A coarse filter in the database; Round.is_open is the rule (deadline second included).
    candidates = (
        PilotCallPage.objects.live()
        .public()
        .descendant_of(home_page)
        .filter(round__opens_at__lte=now, round__closes_at__gte=now.replace(microsecond=0))
        .select_related("round")
        .order_by("round__closes_at", "path")
    )
    calls = [call for call in candidates if call.round.is_open(now)]
    if not calls:
        return None
    return {"calls": calls}
