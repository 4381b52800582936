"""How the application's history (Wagtail's log entries, see pilots.wagtail_hooks)
words the thread's events and the applicant's own steps: (action, label, message
made from the entry's data)."""


def _by(data):
    return f" av søkeren {data['author']}" if data.get("author") else " av søkeren"


def _answer(data):
    message = "Svar fra søkeren" + (f" {data['author']}" if data.get("author") else "")
    if data.get("late"):
        message += " (etter svarfristen)"
    message += f": {data.get('text', '')}"
    if data.get("attachments"):
        message += " Vedlegg: " + ", ".join(data["attachments"]) + "."
    return message


LOG_ACTIONS = [
    ("pilots.submitted", "Sendt inn", lambda data: "Søknaden er sendt inn" + _by(data)),
    ("pilots.withdrawn", "Trukket av søkeren", lambda data: "Søknaden er trukket" + _by(data)),
    (
        "pilots.question_asked",
        "Spørsmål til søkeren",
        lambda data: f"Spørsmål til søkeren, svarfrist {data.get('reply_by', '')}: {data.get('text', '')}",
    ),
    ("pilots.message_sent", "Melding til søkeren", lambda data: f"Melding til søkeren: {data.get('text', '')}"),
    ("pilots.answer_received", "Svar fra søkeren", _answer),
    ("pilots.answers_read", "Svar lest", lambda data: f"{data.get('count', 0)} svar fra søkeren markert som lest"),
]
