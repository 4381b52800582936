"""Two people editing the same answers. Each form carries a `baseline`: the saved
values it was loaded with (autosave moves it on). When someone else saved after the
form was loaded, every field is merged as in a three-way merge: changed only here,
it keeps what this person typed; changed only by the other person, it keeps theirs;
changed by both to different values, both values are shown and the person chooses
which to keep (or edits it).

A save carrying `conflict_fields` must say for each of them which value to keep, so a
second save can never silently put back a value someone else replaced."""

import json
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext

FIELDS = "conflict_fields"
BASELINE = "baseline"
THEIRS, MINE = "lagret", "min"


@dataclass(frozen=True)
class Conflict:
    name: str
    label: str
    theirs: str  # what is saved now, as shown to people
    mine: str  # what this person sent, as shown to people
    theirs_raw: str  # what is saved now, as the form posts it
    error: str = ""

    @property
    def choice_name(self):
        return f"keep_{self.name}"


def _raw(form, name, value):
    """A stored value as the form's widget would post it."""
    field = form.fields[name]
    value = field.prepare_value(value)
    if value is None:
        return ""
    if isinstance(field, forms.DateField) and hasattr(value, "strftime"):
        return value.strftime(field.widget.format or "%d.%m.%Y")
    return str(value)


def _shown(form, name, raw):
    """What a raw posted value means to a person (the label of a choice)."""
    field = form.fields[name]
    if raw in ("", None):
        return ""
    if isinstance(field, forms.ChoiceField):
        for value, label in field.choices:
            if str(value) == str(raw):
                return str(label)
    return str(raw)


def baseline(form, stored):
    """The saved values as the form posts them, for the form's `baseline` field."""
    return json.dumps({name: _raw(form, name, stored.get(name)) for name in form.fields if name != "version"})


def _loaded(data):
    try:
        loaded = json.loads(data.get(BASELINE) or "null")
    except ValueError:
        return None
    return loaded if isinstance(loaded, dict) else None


def find(form, stored, data):
    """Compare the bound `form` with `stored` (the page's values saved now) and the
    baseline in `data`. Returns (conflicts, theirs): the fields both people changed,
    and the fields only the other person changed (this form still has the old value)."""
    loaded = _loaded(data)
    conflicts, theirs = [], []
    for name, field in form.fields.items():
        if name == "version" or field.disabled:
            continue
        posted = form[name].data
        if not field.has_changed(stored.get(name), posted):
            continue
        theirs_raw = _raw(form, name, stored.get(name))
        if loaded is not None and name in loaded:
            if not field.has_changed(stored.get(name), loaded[name]):
                continue  # only this person changed it
            if not field.has_changed(loaded[name], posted):
                theirs.append(name)  # only the other person changed it
                data[name] = theirs_raw
                continue
        mine_raw = "" if posted is None else str(posted)
        conflicts.append(
            Conflict(
                name=name,
                label=str(field.label),
                theirs=_shown(form, name, theirs_raw),
                mine=_shown(form, name, mine_raw),
                theirs_raw=theirs_raw,
            )
        )
    return conflicts, theirs


def resolve(data, form, stored):
    """Apply the choices in `data` (a mutable copy of request.POST) for the fields it
    lists as conflicting. Returns the conflicts still lacking a choice, each with its
    error; fields where "keep what is saved" was chosen get the saved value."""
    names = [name for name in data.get(FIELDS, "").split(",") if name in form.fields and name != "version"]
    unresolved = []
    for name in names:
        choice = data.get(f"keep_{name}")
        theirs_raw = _raw(form, name, stored.get(name))
        if choice == THEIRS:
            data[name] = theirs_raw
        elif choice != MINE:
            field = form.fields[name]
            mine = data.get(name, "")
            unresolved.append(
                Conflict(
                    name=name,
                    label=str(field.label),
                    theirs=_shown(form, name, theirs_raw),
                    mine=_shown(form, name, mine),
                    theirs_raw=theirs_raw,
                    error=gettext("Velg hvilken verdi du vil beholde for «%(label)s».") % {"label": field.label},
                )
            )
    return unresolved
