"""Forms for the application flow, one per page.

Answer forms take `complete=`: "Lagre og fortsett" asks for every required answer
(complete=True); "Lagre og gå tilbake" and autosave keep a partial draft
(complete=False) but still refuse malformed values (an e-mail without @, text
that is too long)."""

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from pilots.applications.models import Application, Contact
from policy.forms import DesignsystemetFormMixin

from . import pdfcheck

REQUIRED = "Fyll ut {label}."
SUMMARY_MAX = 500
MAX_PARTNERS = 10


def _email_field(label, *, autocomplete="email", required_message=None, **kwargs):
    """An e-mail address as the portal asks for one: the message for a malformed
    address gives an example, and browsers do not spell-check it."""
    error_messages = {"invalid": "Skriv inn en gyldig e-postadresse, for eksempel navn@kommune.no."}
    if required_message:
        error_messages["required"] = required_message
    return forms.EmailField(
        label=label,
        max_length=254,
        error_messages=error_messages,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
        **kwargs,
    )


def _kroner_field(label, *, min_value, min_value_message, **kwargs):
    """An amount in whole kroner, typed in a text box with a numeric keypad."""
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        error_messages={"invalid": "Skriv beløpet i hele kroner, bare med tall.", "min_value": min_value_message},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class AnswerForm(DesignsystemetFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, complete=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete = complete
        for name, field in self.fields.items():
            if name == "version":
                continue
            field.error_messages["required"] = REQUIRED.format(label=str(field.label).lower())
            if not complete:
                field.required = False


class SignInForm(DesignsystemetFormMixin, forms.Form):
    email = _email_field(
        "E-postadressen din",
        required_message="Skriv inn e-postadressen din.",
        help_text="Vi sender deg en lenke du kan logge inn med. Lenken virker i 15 minutter.",
    )
    neste = forms.CharField(required=False, widget=forms.HiddenInput)


class ResendSignInForm(forms.Form):
    """The address a throttled sign-in asked for, carried to «Send siste lenke på nytt»."""

    email = forms.EmailField(max_length=254, widget=forms.HiddenInput)


class SignInLinkForm(forms.Form):
    """The token of an e-mail link, posted by its «Logg inn» button."""

    token = forms.CharField(max_length=100, widget=forms.HiddenInput)


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.number})"


class MunicipalitiesForm(AnswerForm):
    """The lead municipality and up to ten partners, chosen from the round's register."""

    def __init__(self, *args, round, partner_slots, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = round.municipalities().order_by("name", "number")
        self.fields["lead"] = MunicipalityChoiceField(
            queryset=queryset,
            label="Søkerkommune",
            help_text="Kommunen som søker og har ansvaret for søknaden.",
            empty_label="Velg kommune",
            required=self.complete,
            error_messages={"required": "Velg søkerkommunen.", "invalid_choice": "Velg en kommune fra listen."},
        )
        for number in range(1, partner_slots + 1):
            self.fields[f"partner_{number}"] = MunicipalityChoiceField(
                queryset=queryset,
                label=f"Samarbeidskommune {number}",
                empty_label="Ingen",
                required=False,
                error_messages={"invalid_choice": "Velg en kommune fra listen."},
            )
        for name, field in self.fields.items():
            if name != "version":
                field.widget.attrs.setdefault("class", "ds-input ds-select")

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
                self.add_error(name, f"{municipality.display_name} er valgt mer enn én gang.")
                continue
            seen.add(municipality.pk)
            partners.append(municipality)
        cleaned["partners"] = partners
        return cleaned


class ContactForm(AnswerForm):
    name = forms.CharField(label="Navn", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    role = forms.CharField(
        label="Stilling", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization-title"})
    )
    email = _email_field("E-post")
    phone = forms.RegexField(
        label="Telefon",
        regex=r"^\+?[0-9 ]{8,20}$",
        max_length=30,
        help_text="8 siffer, eller med landkode, for eksempel +47 22 24 70 01.",
        error_messages={"invalid": "Skriv inn et telefonnummer med 8 siffer, for eksempel 22 24 70 01."},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    @staticmethod
    def initial_from(contact: Contact | None):
        if contact is None:
            return {}
        return {"name": contact.name, "role": contact.role, "email": contact.email, "phone": contact.phone}


def _textarea(rows=5, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


class ProjectForm(AnswerForm):
    title = forms.CharField(label="Prosjektets navn", max_length=200)
    summary = forms.CharField(
        label="Kort sammendrag",
        max_length=SUMMARY_MAX,
        help_text=f"Høyst {SUMMARY_MAX} tegn.",
        error_messages={"max_length": f"Sammendraget kan ha høyst {SUMMARY_MAX} tegn (du har skrevet %(show_value)d)."},
        widget=_textarea(rows=4, **{"data-counter": SUMMARY_MAX}),
    )
    challenges = forms.CharField(
        label="Dokumenterte utfordringer",
        help_text="For eksempel demografisk ubalanse eller sårbar næringsstruktur. Vis til tall og kilder.",
        widget=_textarea(),
    )
    themes = forms.CharField(label="Tema", help_text="Hvilke tema skal piloten arbeide med?", widget=_textarea(rows=3))
    measures = forms.CharField(label="Planlagte tiltak", widget=_textarea())
    transfer_value = forms.CharField(
        label="Overføringsverdi", help_text="Hva kan andre kommuner lære av piloten?", widget=_textarea(rows=4)
    )
    organisation = forms.CharField(
        label="Organisering og politisk forankring",
        help_text="Hvordan skal arbeidet organiseres, og hvordan er det forankret politisk?",
        widget=_textarea(rows=4),
    )
    council_decision = forms.ChoiceField(
        label="Kommunestyrevedtak",
        choices=Application.CouncilDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Velg om kommunestyret har gjort vedtak eller om vedtak er planlagt."},
    )
    council_decision_date = forms.DateField(
        label="Dato for vedtaket",
        required=False,
        help_text="Datoen vedtaket ble gjort, eller når det er planlagt. For eksempel 20.10.2022.",
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Skriv datoen som dag.måned.år, for eksempel 20.10.2022."},
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
            self.add_error("council_decision_date", "Skriv inn når vedtaket er planlagt.")
        return cleaned


class BudgetForm(AnswerForm):
    amount_applied = _kroner_field("Søkt beløp (kr)", min_value=1, min_value_message="Beløpet må være større enn 0.")
    own_contribution = _kroner_field(
        "Egeninnsats (kr)",
        min_value=0,
        min_value_message="Beløpet kan ikke være negativt.",
        help_text="Kommunenes egne midler og arbeidsinnsats, regnet i kroner.",
    )

    def __init__(self, *args, max_amount, line_count, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_amount = max_amount
        self.line_count = line_count
        self.fields["amount_applied"].help_text = f"Høyst {max_amount:,} kr.".replace(",", " ")
        for number in range(1, line_count + 1):
            self.fields[f"line_{number}_description"] = forms.CharField(
                label=f"Kostnad {number}", max_length=200, required=False
            )
            self.fields[f"line_{number}_amount"] = _kroner_field(
                f"Beløp {number} (kr)",
                min_value=0,
                min_value_message="Beløpet kan ikke være negativt.",
                required=False,
            )
            self.fields[f"line_{number}_description"].widget.attrs["class"] = "ds-input"
            self.fields[f"line_{number}_amount"].widget.attrs["class"] = "ds-input"

    def line_rows(self):
        return [(self[f"line_{n}_description"], self[f"line_{n}_amount"]) for n in range(1, self.line_count + 1)]

    def clean_amount_applied(self):
        amount = self.cleaned_data.get("amount_applied")
        if amount is not None and amount > self.max_amount:
            raise forms.ValidationError(f"Dere kan søke om høyst {self.max_amount:,} kr.".replace(",", " "))
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
                self.add_error(f"line_{number}_amount", f"Skriv inn beløpet for «{description}».")
            elif amount is not None and not description:
                self.add_error(f"line_{number}_description", f"Skriv hva kostnad {number} gjelder.")
            elif description:
                lines.append((description, amount))
        cleaned["lines"] = lines
        if self.complete and not self.errors:
            if not lines:
                self.add_error("line_1_description", "Legg inn minst én budsjettpost.")
            else:
                total = sum(amount for _, amount in lines)
                expected = (cleaned.get("amount_applied") or 0) + (cleaned.get("own_contribution") or 0)
                if total != expected:
                    self.add_error(
                        None,
                        f"Budsjettpostene blir til sammen {total:,} kr, men søkt beløp og egeninnsats er {expected:,} kr. "
                        "Summene må være like.".replace(",", " "),
                    )
        return cleaned


class AttachmentForm(DesignsystemetFormMixin, forms.Form):
    file = forms.FileField(
        label="Last opp en PDF-fil",
        help_text="Bare PDF, høyst 20 MB per fil og 10 filer i alt.",
        error_messages={
            "required": "Velg en fil å laste opp.",
            "empty": "Filen er tom.",
            "invalid": "Vi fikk ikke filen. Prøv igjen.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, oversized=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = oversized

    def clean_file(self):
        """Only what costs nothing is checked here; the content check runs in the task
        worker after the file is stored (uploads.py)."""
        uploaded = self.cleaned_data["file"]
        uploaded.seek(0)
        problem = pdfcheck.quick_problem(uploaded.read(8), uploaded.size)
        uploaded.seek(0)
        if problem:
            raise forms.ValidationError(problem)
        return uploaded

    def full_clean(self):
        super().full_clean()
        if self.oversized:
            # The upload handler threw the file away unread; say why, at the field.
            self.errors.pop("file", None)
            self.add_error("file", pdfcheck.TOO_BIG)


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading a file once it passes the limit instead of spooling it to disk.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count files, so without this a
    25 MB PDF would be written to a temporary file before the form could refuse it."""

    def __init__(self, request=None, limit=pdfcheck.MAX_BYTES):
        super().__init__(request)
        self.limit = limit
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.oversized = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


class DeclarationForm(DesignsystemetFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=(
            "Jeg bekrefter at opplysningene i søknaden er riktige, og at jeg kan sende søknaden på vegne av kommunene."
        ),
        error_messages={"required": "Du må bekrefte erklæringen før du sender inn søknaden."},
    )


class InviteForm(DesignsystemetFormMixin, forms.Form):
    email = _email_field(
        "E-postadressen til kollegaen",
        autocomplete="off",
        required_message="Skriv inn e-postadressen til kollegaen.",
        help_text="Kollegaen får en e-post med en lenke. Lenken virker i {days} dager, og bare én gang.",
    )
    can_invite = forms.BooleanField(
        label="Kollegaen kan også invitere og fjerne andre",
        required=False,
        help_text="Bare den som opprettet søknaden, kan gi denne retten.",
    )

    def __init__(self, *args, days, may_appoint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = self.fields["email"].help_text.format(days=days)
        if not may_appoint:
            del self.fields["can_invite"]
