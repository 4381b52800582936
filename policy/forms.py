"""Form helpers shared by every public form.

- `DesignsystemetFormMixin` (pilots, newsletter): Designsystemet classes on widgets
  and aria wiring for hints and errors, so each app's templates can use
  includes/field.html and includes/error_summary.html.
- `FilterForm` and its fields (the news archive, the document finder, the site
  search): filters read from the query string, where bad input is ignored with a
  Norwegian message instead of an error page."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import LoginForm


class DesignsystemetFormMixin:
    """Adds `ds-input` classes and aria-describedby/aria-invalid to every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
                widget.attrs.setdefault("class", "ds-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "ds-input ds-select")
            else:
                widget.attrs.setdefault("class", "ds-input")

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            bound = self[name]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}-hint")
            if self.errors.get(name):
                described.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


MAX_QUERY_LENGTH = 200
MAX_VALUES = 30


def plain_text(text):
    """Text as a visitor meant it: no control characters (PostgreSQL rejects NUL
    bytes), white space collapsed."""
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


def shown(text, limit):
    """User input as it may be echoed in a message: plain text, shortened."""
    return plain_text(str(text))[:limit]


class FilterForm(forms.Form):
    """The form behind a public filter (the news archive, the document finder, the site
    search), for use as a FilterSet's `Meta.form`.

    A filter never answers with an error page: what cannot be used is left out with a
    message in `errors`, and everything else still applies, since a FilterSet filters
    on whatever is in `cleaned_data`. A field that can use part of a bad value (the
    known boxes of a checkbox list, the first 200 characters of a search) offers it
    as `usable_part(data)`, and that part is kept."""

    def clean(self):
        cleaned_data = super().clean()
        for name, field in self.fields.items():
            if name in self.errors and hasattr(field, "usable_part"):
                cleaned_data[name] = field.usable_part(self[name].data)
        return cleaned_data

    def correct(self, name, value, message):
        """Use `value` for `name` instead of what was sent, and say why."""
        self.add_error(name, message)
        self.cleaned_data[name] = value

    def messages(self):
        """Every message, in the order of the fields."""
        return [message for name in self.fields for message in self.errors.get(name, [])]


class SearchQueryField(forms.CharField):
    """Words to search for, as plain text; longer than `max_length` is an error, and the
    beginning is used."""

    default_error_messages = {
        "max_length": "Søkeordene var for lange og ble forkortet til %(limit_value)d tegn.",
    }

    def __init__(self, *, max_length=MAX_QUERY_LENGTH, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        return plain_text(super().to_python(value))

    def usable_part(self, data):
        return self.to_python(data)[: self.max_length]


class YearField(forms.Field):
    """A year between `min_value` and `max_value`."""

    default_error_messages = {"invalid": "«%(value)s» er ikke et årstall."}

    def __init__(self, *, min_value=1814, max_value=2100, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        # Decimal digits only, four at most: int() refuses "²" and numbers of 5,000 digits.
        if len(value) <= 4 and value.isdecimal() and self.min_value <= int(value) <= self.max_value:
            return int(value)
        raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": shown(value, 20)})


class FilterChoiceField(forms.ChoiceField):
    """One value from `choices`; an unknown value is an error that names it."""

    def validate(self, value):
        if value and not self.valid_value(value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": shown(value, 40)}
            )


class ChoiceListField(forms.MultipleChoiceField):
    """Checkboxes: any number of values from `choices` (the first MAX_VALUES, each once).
    An unknown value is an error that names it; the known ones are the usable part."""

    def to_python(self, value):
        values = []
        for item in super().to_python(value)[:MAX_VALUES]:
            item = plain_text(item)
            if item and item not in values:
                values.append(item)
        return values

    def validate(self, value):
        for item in value:
            if not self.valid_value(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": shown(item, 40)}
                )

    def usable_part(self, data):
        return [item for item in self.to_python(data) if self.valid_value(item)]


class YearRangeForm(FilterForm):
    """A filter form with `year_from` and `year_to` (the site search and the document
    finder): reversed years are swapped, with a message, rather than refused."""

    def clean(self):
        cleaned_data = super().clean()
        year_from, year_to = cleaned_data.get("year_from"), cleaned_data.get("year_to")
        if year_from and year_to and year_from > year_to:
            self.correct("year_from", year_to, "«Fra år» var senere enn «Til år». Årene ble byttet om.")
            cleaned_data["year_to"] = year_from
        return cleaned_data


class AdminLoginForm(LoginForm):
    """Wagtail's sign-in form, with the password field's label in Norwegian: Wagtail
    leaves it unlabelled, so Django shows the field's English name. During a lock-out
    (policy.login_throttle) it says so, and for how long, instead of "wrong password":
    the right password is refused then too, and a person must know why."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "Passord"

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if not getattr(self.request, "axes_locked_out", False):
                raise
        from policy import login_throttle  # axes' handler needs the app registry ready

        setattr(self.request, login_throttle.SHOWN_ATTRIBUTE, True)
        raise ValidationError(login_throttle.lockout_message(self.request), code="locked_out")
