"""The decision e-mail: the full letter, queued in the outbox in the transaction that
releases the decision, so each notice is mailed exactly once (its key names the
notice) and retried until the mail server takes it. The notice's `sent_at` is set
when the outbox sends it: the day the decision reached the applicant, from which the
complaint deadline runs."""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from pilots.applications.tasks import recipients
from pilots.letters.content import letter_text
from policy.outbox import queue_mail

from .models import DecisionNotice

#: Outbox key prefix of decision mail (see pilots.apps, which registers record_sent).
DECISION_KEY = "pilots.decision"


def queue_decision_notice(notice, letter):
    """Queue the decision mail for `notice` with the text of `letter` (frozen at release)."""
    application = notice.application
    # Released by a decision maker whose admin may speak English: the letter is in bokmål.
    with translation.override(settings.LANGUAGE_CODE):
        body = letter_text(application, letter, notice)
    return queue_mail(to=recipients(application), subject=letter.subject, body=body, key=f"{DECISION_KEY}:{notice.pk}")


def record_sent(mail):
    """Called by the outbox in its sending transaction: the notice was mailed now."""
    notice_id = int(mail.key.split(":")[1])
    with transaction.atomic():
        DecisionNotice.objects.filter(pk=notice_id, sent_at__isnull=True).update(
            sent_at=mail.sent_at, recipients=", ".join(mail.to)
        )
