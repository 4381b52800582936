"""The task list: each answer section with a status the applicant understands, and
whether it can be opened yet (everything after the municipalities waits until
they may apply). The sections themselves are in pilots.applications.answers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilots.applications.answers import MUNICIPALITIES, SECTIONS


class TaskStatus:
    """What the task list says about a section (templates compare against these)."""

    do_not_call_in_templates = True
    LOCKED = _("Kan ikke starte ennå")
    NOT_STARTED = _("Ikke påbegynt")
    STARTED = _("Påbegynt")
    DONE = _("Fullført")
    OPTIONAL = _("Valgfritt")


def section_url(application, section):
    return reverse("pilots:section", args=[application.round_id, application.pk, section.slug])


def next_url(application, section):
    """The page after `section`: the next section, or "Se over svarene" after the last."""
    index = SECTIONS.index(section)
    if index + 1 < len(SECTIONS):
        return section_url(application, SECTIONS[index + 1])
    return reverse("pilots:check_answers", args=[application.round_id, application.pk])


def task_list(application):
    """Rows for the task list (section, status text, whether it can be opened, its
    URL) and whether every section is done."""
    eligible = MUNICIPALITIES.is_complete(application)
    rows = []
    for section in SECTIONS:
        unlocked = section is MUNICIPALITIES or eligible
        if not unlocked:
            status = TaskStatus.LOCKED
        elif section.optional and not section.is_started(application):
            status = TaskStatus.OPTIONAL
        elif section.is_complete(application) and (section.is_started(application) or section.optional):
            status = TaskStatus.DONE
        elif section.is_started(application):
            status = TaskStatus.STARTED
        else:
            status = TaskStatus.NOT_STARTED
        rows.append(
            {"section": section, "status": status, "unlocked": unlocked, "url": section_url(application, section)}
        )
    all_done = all(r["status"] in (TaskStatus.DONE, TaskStatus.OPTIONAL) for r in rows)
    return rows, all_done
