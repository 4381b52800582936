"""The answer forms of the question pages, one per section.

Each takes `complete=`: "Lagre og fortsett" asks for every required answer
(complete=True); "Lagre og gå tilbake" and autosave keep a partial draft
(complete=False) but still refuse malformed values (an e-mail without @, text
that is too long)."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pilots.applications.models import Application, Contact
from policy.forms import DesignsystemetFormMixin

from .forms import _email_field, _kroner_field

SUMMARY_MAX = 500
MAX_PARTNERS = 10


def _length_limit(label, limit):
    """GOV.UK's character count: the browser never cuts the text (no `maxlength`),
    and the server refuses it with how much too long it is, keeping what was typed."""

    def validate(value):
        if value and len(value) > limit:
            over = len(value) - limit
            raise forms.ValidationError(
                gettext("%(label)s kan ha høyst %(limit)s tegn. Du har %(over)s tegn for mye.")
                % {"label": label, "limit": limit, "over": over},
                code="too_long",
            )

    return validate


class AnswerForm(DesignsystemetFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, complete=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete = complete
        for name, field in self.fields.items():
            if name == "version":
                continue
            field.error_messages["required"] = gettext("Fyll ut %(label)s.") % {"label": str(field.label).lower()}
            if not complete:
                field.required = False
            limit = getattr(field, "max_length", None)
            if limit:
                field.widget.attrs.pop("maxlength", None)
                field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
                field.validators.append(_length_limit(field.label, limit))


class MunicipalitySelect(forms.Select):
    """A select whose options carry every name of the municipality (Norwegian, Sami,
    Kven) and its number, so the picker (municipality_picker.js) finds «Deatnu» as
    well as «Tana». Without JavaScript it is an ordinary select."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        municipality = getattr(value, "instance", None)
        if municipality is not None:
            names = [
                municipality.name,
                municipality.name_full,
                municipality.name_north_sami,
                municipality.name_lule_sami,
                municipality.name_south_sami,
                municipality.name_kven,
                municipality.number,
            ]
            option["attrs"]["data-search"] = " ".join(n for n in names if n)
        return option


class MunicipalityChoiceField(forms.ModelChoiceField):
    widget = MunicipalitySelect

    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.number})"


class MunicipalitiesForm(AnswerForm):
    """The lead municipality and up to ten partners, chosen from the round's register."""

    def __init__(self, *args, round, partner_slots, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = round.municipalities().order_by("name", "number")
        self.fields["lead"] = MunicipalityChoiceField(
            queryset=queryset,
            label=gettext("Søkerkommune"),
            help_text=gettext("Kommunen som søker og har ansvaret for søknaden."),
            empty_label=gettext("Velg kommune"),
            required=self.complete,
            error_messages={
                "required": gettext("Velg søkerkommunen."),
                "invalid_choice": gettext("Velg en kommune fra listen."),
            },
        )
        for number in range(1, partner_slots + 1):
            self.fields[f"partner_{number}"] = MunicipalityChoiceField(
                queryset=queryset,
                label=gettext("Samarbeidskommune %(number)s") % {"number": number},
                empty_label=gettext("Ingen"),
                required=False,
                error_messages={"invalid_choice": gettext("Velg en kommune fra listen.")},
            )
        for name, field in self.fields.items():
            if name != "version":
                field.widget.attrs.setdefault("class", "ds-input ds-select")
                field.widget.attrs["data-municipality-picker"] = ""

    def partner_fields(self):
        return [self[name] for name in self.fields if name.startswith("partner_")]

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead")
        seen = {lead.pk} if lead else set()
        partners = []
        for name in self.fields:
            if not name.startswith("partner_"):
                continue
            municipality = cleaned.get(name)
            if municipality is None:
                continue
            if municipality.pk in seen:
                self.add_error(
                    name, gettext("%(name)s er valgt mer enn én gang.") % {"name": municipality.display_name}
                )
                continue
            seen.add(municipality.pk)
            partners.append(municipality)
        cleaned["partners"] = partners
        return cleaned


class ContactForm(AnswerForm):
    name = forms.CharField(label=_("Navn"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    role = forms.CharField(
        label=_("Stilling"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization-title"})
    )
    email = _email_field(_("E-post"))
    phone = forms.RegexField(
        label=_("Telefon"),
        regex=r"^\+?[0-9 ]{8,20}$",
        max_length=30,
        help_text=_("8 siffer, eller med landkode, for eksempel +47 22 24 70 01."),
        error_messages={"invalid": _("Skriv inn et telefonnummer med 8 siffer, for eksempel 22 24 70 01.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    @staticmethod
    def initial_from(contact: Contact | None):
        if contact is None:
            return {}
        return {"name": contact.name, "role": contact.role, "email": contact.email, "phone": contact.phone}


def _plain_kroner(amount):
    """ "2 000 000 kr", with ordinary spaces as the messages have always had them."""
    return f"{amount:,} kr".replace(",", " ")


def _textarea(rows=5, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


class ProjectForm(AnswerForm):
    title = forms.CharField(label=_("Prosjektets navn"), max_length=200)
    summary = forms.CharField(
        label=_("Kort sammendrag"),
        max_length=SUMMARY_MAX,
        help_text=format_lazy(_("Du kan skrive inntil {limit} tegn."), limit=SUMMARY_MAX),
        widget=_textarea(rows=4, **{"data-counter": SUMMARY_MAX}),
    )
    challenges = forms.CharField(
        label=_("Dokumenterte utfordringer"),
        help_text=_("For eksempel demografisk ubalanse eller sårbar næringsstruktur. Vis til tall og kilder."),
        widget=_textarea(),
    )
    themes = forms.CharField(
        label=_("Tema"), help_text=_("Hvilke tema skal piloten arbeide med?"), widget=_textarea(rows=3)
    )
    measures = forms.CharField(label=_("Planlagte tiltak"), widget=_textarea())
    transfer_value = forms.CharField(
        label=_("Overføringsverdi"), help_text=_("Hva kan andre kommuner lære av piloten?"), widget=_textarea(rows=4)
    )
    organisation = forms.CharField(
        label=_("Organisering og politisk forankring"),
        help_text=_("Hvordan skal arbeidet organiseres, og hvordan er det forankret politisk?"),
        widget=_textarea(rows=4),
    )
    council_decision = forms.ChoiceField(
        label=_("Kommunestyrevedtak"),
        choices=Application.CouncilDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg om kommunestyret har gjort vedtak eller om vedtak er planlagt.")},
    )
    council_decision_date = forms.DateField(
        label=_("Dato for vedtaket"),
        required=False,
        help_text=_("Datoen vedtaket ble gjort, eller når det er planlagt. For eksempel 20.10.2022."),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Skriv datoen som dag.måned.år, for eksempel 20.10.2022.")},
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        planned = cleaned.get("council_decision") == Application.CouncilDecision.PLANNED
        if (
            self.complete
            and planned
            and not cleaned.get("council_decision_date")
            and not self.has_error("council_decision_date")
        ):
            self.add_error("council_decision_date", gettext("Skriv inn når vedtaket er planlagt."))
        return cleaned


class BudgetForm(AnswerForm):
    amount_applied = _kroner_field(
        _("Søkt beløp (kr)"), min_value=1, min_value_message=_("Beløpet må være større enn 0.")
    )
    own_contribution = _kroner_field(
        _("Egeninnsats (kr)"),
        min_value=0,
        min_value_message=_("Beløpet kan ikke være negativt."),
        help_text=_("Kommunenes egne midler og arbeidsinnsats, regnet i kroner."),
    )

    def __init__(self, *args, max_amount, line_count, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_amount = max_amount
        self.line_count = line_count
        self.fields["amount_applied"].help_text = gettext("Høyst %(amount)s.") % {"amount": _plain_kroner(max_amount)}
        for number in range(1, line_count + 1):
            self.fields[f"line_{number}_description"] = forms.CharField(
                label=gettext("Kostnad %(number)s") % {"number": number}, max_length=200, required=False
            )
            self.fields[f"line_{number}_amount"] = _kroner_field(
                gettext("Beløp %(number)s (kr)") % {"number": number},
                min_value=0,
                min_value_message=gettext("Beløpet kan ikke være negativt."),
                required=False,
            )
            self.fields[f"line_{number}_description"].widget.attrs["class"] = "ds-input"
            self.fields[f"line_{number}_amount"].widget.attrs["class"] = "ds-input"

    def line_rows(self):
        return [(self[f"line_{n}_description"], self[f"line_{n}_amount"]) for n in range(1, self.line_count + 1)]

    def clean_amount_applied(self):
        amount = self.cleaned_data.get("amount_applied")
        if amount is not None and amount > self.max_amount:
            raise forms.ValidationError(
                gettext("Dere kan søke om høyst %(amount)s.") % {"amount": _plain_kroner(self.max_amount)}
            )
        return amount

    def clean(self):
        cleaned = super().clean()
        lines = []
        for number in range(1, self.line_count + 1):
            description = cleaned.get(f"line_{number}_description")
            amount = cleaned.get(f"line_{number}_amount")
            if self.has_error(f"line_{number}_amount"):
                continue
            if description and amount is None:
                message = gettext("Skriv inn beløpet for «%(description)s».") % {"description": description}
                self.add_error(f"line_{number}_amount", message)
            elif amount is not None and not description:
                message = gettext("Skriv hva kostnad %(number)s gjelder.") % {"number": number}
                self.add_error(f"line_{number}_description", message)
            elif description:
                lines.append((description, amount))
        cleaned["lines"] = lines
        if self.complete and not self.errors:
            if not lines:
                self.add_error("line_1_description", gettext("Legg inn minst én budsjettpost."))
            else:
                total = sum(amount for _, amount in lines)
                expected = (cleaned.get("amount_applied") or 0) + (cleaned.get("own_contribution") or 0)
                if total != expected:
                    self.add_error(
                        None,
                        gettext(
                            "Budsjettpostene blir til sammen %(total)s, men søkt beløp og egeninnsats er "
                            "%(expected)s. Summene må være like."
                        )
                        % {"total": _plain_kroner(total), "expected": _plain_kroner(expected)},
                    )
        return cleaned
