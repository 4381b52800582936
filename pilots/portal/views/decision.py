"""«Vedtak»: the released decision letter on a page of its own, with PDF copies of the
letter and of the application as submitted. Only people with access to the
application find them (access.py); before release there is nothing to find (404)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from pilots.applications.status import OUTCOMES
from pilots.letters import pdf
from pilots.letters.content import letter_context
from pilots.letters.models import DecisionLetter
from pilots.portal import access

from .base import applicant_required, application_context


def _released(request, round_pk, pk):
    """(application, letter, notice) of a released decision the person has access to."""
    application = access.get_application(request.user, pk, round_pk)
    letter = DecisionLetter.objects.filter(application=application, released_at__isnull=False).first()
    if letter is None or application.status not in OUTCOMES:
        raise Http404("Vedtaket er ikke klart.")
    return application, letter, getattr(application, "decision_notice", None)


@require_safe
@applicant_required
def decision_page(request, round_pk, pk):
    application, letter, notice = _released(request, round_pk, pk)
    context = {**application_context(application), **letter_context(application, letter, notice)}
    return render(request, "pilots/decision.html", context)


@require_safe
@applicant_required
def decision_letter_pdf(request, round_pk, pk):
    application, letter, notice = _released(request, round_pk, pk)
    return pdf.download(pdf.decision_letter_pdf(application, letter, notice), application, "vedtak")


@require_safe
@applicant_required
def application_pdf(request, round_pk, pk):
    application, _letter, _notice = _released(request, round_pk, pk)
    return pdf.download(pdf.application_pdf(application), application, "soknad")
