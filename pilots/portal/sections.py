"""The open calls on the home page (registered with policy.registry in apps.py), so a
visitor finds a call that is open for applications in one click.

The section is cached like the other home sections (policy.fragments), until the
next purge or until the next moment any round opens or closes, whichever is first;
changing a round's times starts a new purge generation, so an edit shows at once."""

import datetime

from django.db.models import Min, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from policy.fragments import start_new_generation

from ..applications.models import Round
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
        # A home page lists the calls of its own language tree (its locale).
        .filter(locale_id=home_page.locale_id)
        .filter(round__opens_at__lte=now, round__closes_at__gte=now.replace(microsecond=0))
        .select_related("round")
        .order_by("round__closes_at", "path")
    )
    calls = [call for call in candidates if call.round.is_open(now)]
    if not calls:
        return None
    return {"calls": calls}


def next_round_change(home_page, request, now):
    """The next moment after `now` at which any round opens or closes (None: none
    will), so the cached section is rebuilt then. A round closes one second after its
    deadline second (deadlines.on_time)."""
    whole_second = now.replace(microsecond=0)
    found = Round.objects.aggregate(
        opening=Min("opens_at", filter=Q(opens_at__gt=now)),
        closing=Min("closes_at", filter=Q(closes_at__gte=whole_second)),
    )
    moments = []
    if found["opening"] is not None:
        moments.append(found["opening"])
    if found["closing"] is not None:
        moments.append(found["closing"].replace(microsecond=0) + datetime.timedelta(seconds=1))
    return min(moments, default=None)


def _round_changed(sender, **kwargs):
    start_new_generation()


post_save.connect(_round_changed, sender=Round, dispatch_uid="pilots_round_saved")
post_delete.connect(_round_changed, sender=Round, dispatch_uid="pilots_round_deleted")
