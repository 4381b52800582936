"""The editing form for news items: how an editor marks a change as major."""

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm


class NewsPageForm(WagtailAdminPageForm):
    """Adds "Vesentlig endring" and its note. When ticked, saving adds the note to
    the item's change history (`changes`) in the same revision, so it is published,
    scheduled, moderated and reverted together with the change it describes.
    Minor changes (box not ticked) leave no public trace."""

    major_change = forms.BooleanField(
        label="Dette er en vesentlig endring",
        required=False,
        help_text="Vises som «Sist oppdatert» med notatet under. Ikke for skrivefeil og små rettelser.",
    )
    change_note = forms.CharField(
        label="Hva er endret?",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Vises offentlig på saken, for eksempel «Lagt til søknadsfrist».",
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("major_change") and not cleaned_data.get("change_note", "").strip():
            self.add_error("change_note", "Skriv hva som er endret, eller fjern krysset for vesentlig endring.")
        if cleaned_data.get("change_note", "").strip() and not cleaned_data.get("major_change"):
            self.add_error("major_change", "Kryss av for vesentlig endring hvis notatet skal vises, eller tøm notatet.")
        return cleaned_data

    def save(self, commit=True):
        page = super().save(commit=commit)
        if self.cleaned_data.get("major_change"):
            # The change model comes from the relation: the page models import this form.
            change = page.changes.model(changed_at=timezone.now(), note=self.cleaned_data["change_note"].strip())
            page.changes.add(change)
            if commit:
                page.changes.commit()
        return page
