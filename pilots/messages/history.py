"""How the application's history (Wagtail's log entries, see pilots.wagtail_hooks)
words the thread's events and the applicant's own steps: (action, label, message
made from the entry's data). The messages are made when the history is shown, in the
reader's admin language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop


def _by_applicant(with_author, without_author):
    """A describe function: `with_author` names the applicant who did it, when the entry has one."""

    def describe(data):
        if data.get("author"):
            return _(with_author) % {"author": data["author"]}
        return _(without_author)

    return describe


def _answer(data):
    if data.get("author"):
        message = _("Svar fra søkeren %(author)s") % {"author": data["author"]}
    else:
        message = _("Svar fra søkeren")
    if data.get("late"):
        message += " " + _("(etter svarfristen)")
    message += f": {data.get('text', '')}"
    if data.get("attachments"):
        message += " " + _("Vedlegg: %(names)s.") % {"names": ", ".join(data["attachments"])}
    return message


def _question(data):
    return _("Spørsmål til søkeren, svarfrist %(reply_by)s: %(text)s") % {
        "reply_by": data.get("reply_by", ""),
        "text": data.get("text", ""),
    }


LOG_ACTIONS = [
    (
        "pilots.submitted",
        gettext_lazy("Sendt inn"),
        _by_applicant(
            gettext_noop("Søknaden er sendt inn av søkeren %(author)s"),
            gettext_noop("Søknaden er sendt inn av søkeren"),
        ),
    ),
    (
        "pilots.withdrawn",
        gettext_lazy("Trukket av søkeren"),
        _by_applicant(
            gettext_noop("Søknaden er trukket av søkeren %(author)s"), gettext_noop("Søknaden er trukket av søkeren")
        ),
    ),
    ("pilots.question_asked", gettext_lazy("Spørsmål til søkeren"), _question),
    (
        "pilots.message_sent",
        gettext_lazy("Melding til søkeren"),
        lambda data: _("Melding til søkeren: %(text)s") % {"text": data.get("text", "")},
    ),
    ("pilots.answer_received", gettext_lazy("Svar fra søkeren"), _answer),
    (
        "pilots.answers_read",
        gettext_lazy("Svar lest"),
        lambda data: _("%(count)s svar fra søkeren markert som lest") % {"count": data.get("count", 0)},
    ),
]
