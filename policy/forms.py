"""Form helpers shared by every public form (pilots, newsletter): Designsystemet
classes on widgets and aria wiring for hints and errors, so each app's templates
can use includes/field.html and includes/error_summary.html."""

from django import forms


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
