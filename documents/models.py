"""Typed documents ("Dokumenter"), their attachments, and what we know about each file."""

import re
import secrets
from email.utils import parseaddr
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.models import AbstractDocument
from wagtail.fields import StreamField
from wagtail.models import Orderable, PageManager, PageQuerySet
from wagtail.search import index

from policy.models import BasePage, topic_links

from .blocks import DocumentStreamBlock
from .choices import DocumentType
from .finder import finder_context
from .storage import document_storage

# The document types that carry an official number, with its format and an example.
# Years may be written with a hyphen; they are stored with an en dash.
NUMBER_FORMATS = {
    DocumentType.WHITE_PAPER: (re.compile(r"^Meld\. St\. \d{1,3} \((\d{4})–(\d{4})\)$"), "Meld. St. 5 (2019–2020)"),
    DocumentType.NOU: (re.compile(r"^NOU (\d{4}): \d{1,2}$"), "NOU 2020: 15"),
    DocumentType.PROPOSITION: (
        re.compile(r"^Prop\. \d{1,3} (?:S|L|LS)(?: Tillegg \d{1,2})? \((\d{4})–(\d{4})\)$"),
        "Prop. 1 S (2022–2023)",
    ),
}


def normalise_document_number(number):
    """Tidy spacing and use an en dash between session years, as regjeringen.no writes them."""
    number = " ".join((number or "").split())
    return re.sub(r"\((\d{4})\s*[-‒—]\s*(\d{4})\)", r"(\1–\2)", number)


def validate_document_number(document_type, number):
    """Return a Norwegian error message, or None when the number fits the type."""
    fmt = NUMBER_FORMATS.get(document_type)
    if fmt is None:
        if number:
            return f"Dokumenttypen «{DocumentType(document_type).label}» har ikke dokumentnummer. La feltet stå tomt."
        return None
    pattern, example = fmt
    if not number:
        return f"Skriv dokumentnummeret, for eksempel «{example}»."
    match = pattern.match(number)
    if not match:
        return f"Dokumentnummeret må skrives som «{example}»."
    years = [int(y) for y in match.groups()]
    if len(years) == 2 and years[1] != years[0] + 1:
        return "Sesjonen må være to år etter hverandre, for eksempel «2019–2020»."
    return None


def new_file_key():
    """144 random bits: the part of a file's address that cannot be guessed."""
    return secrets.token_urlsafe(18)


class DocumentFile(AbstractDocument):
    """Wagtail's document, kept private until published: the file lives in private
    storage (never under MEDIA_ROOT), and its address carries a random key instead of
    the sequential id. views.serve_document sends it while a live, public page holds
    it (DocumentFile.is_released), and to staff who may choose it in the admin."""

    file = models.FileField("fil", upload_to="documents", storage=document_storage)
    key = models.CharField(max_length=32, unique=True, editable=False, default=new_file_key)

    admin_form_fields = ("title", "file", "collection", "tags")

    class Meta(AbstractDocument.Meta):
        pass

    @property
    def url(self):
        return reverse("document_file", args=[self.key, self.filename])

    def is_released(self):
        """Whether visitors may have the file: a live page that everyone may see holds it."""
        return DocumentPage.objects.live().public().holding(self).exists()


class DocumentIndexPage(BasePage):
    """ "Dokumenter": the document finder over the documents below it (see finder.py)."""

    parent_page_types = ["policy.HomePage"]
    subpage_types = ["documents.DocumentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("dokumentoversikt")
        verbose_name_plural = _("dokumentoversikter")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(finder_context(request, DocumentPage.objects.live().public().descendant_of(self)))
        return context


class DocumentPageQuerySet(PageQuerySet):
    def holding(self, document):
        """Pages that show this file: as an attachment or as a data table in the body
        (the only two places a document can be put). Read from the pages' own rows,
        which hold the live version, so a draft's new file is not among them."""
        as_table = [{"type": "data_table", "value": {"file": document.pk}}]
        return self.annotate(body_data=Cast("body", models.JSONField())).filter(
            models.Q(pk__in=DocumentAttachment.objects.filter(document=document).values("page_id"))
            | models.Q(body_data__contains=as_table)
        )


DocumentPageManager = PageManager.from_queryset(DocumentPageQuerySet)


class DocumentPage(BasePage):
    document_type = models.CharField("dokumenttype", max_length=20, choices=DocumentType.choices)
    document_number = models.CharField(
        "dokumentnummer",
        max_length=60,
        blank=True,
        help_text="For meldinger, NOU-er og proposisjoner, for eksempel «Meld. St. 5 (2019–2020)» eller «NOU 2020: 15».",
    )
    date = models.DateField("dato", help_text="Datoen dokumentet ble fastsatt, lagt fram eller publisert.")
    publisher = models.CharField("utgiver", max_length=200, default="Kommunal- og distriktsdepartementet")
    contact_point = models.ForeignKey(
        "policy.ContactPoint",
        verbose_name="enhet som svarer på spørsmål",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Får forespørsler om tilgjengelig versjon av vedleggene. Uten e-post brukes departementets postmottak.",
    )
    decision_note = models.CharField(
        "vedtaksmerknad", max_length=200, blank=True, help_text="For eksempel «Fastsett ved kgl.res. 12.08.2022»."
    )
    topics = ParentalManyToManyField("policy.TopicPage", verbose_name="tema", blank=True, related_name="documents")
    body = StreamField(DocumentStreamBlock(), blank=True, verbose_name="innhold")

    objects = DocumentPageManager()

    search_fields = BasePage.search_fields + [
        index.SearchField("document_number", boost=2),
        index.SearchField("decision_note"),
        index.SearchField("body"),
        index.FilterField("document_type"),
        index.FilterField("date"),
        index.FilterField("language"),
    ]
    # The site search names each document by its type («NOU») and dates it by its date (policy.filters).
    search_kind_field = "document_type"
    search_date_fields = ("date",)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("document_type"),
                FieldPanel("document_number"),
                FieldPanel("date"),
                FieldPanel("decision_note"),
                FieldPanel("publisher"),
                FieldPanel("contact_point"),
            ],
            heading=_("Om dokumentet"),
        ),
        FieldPanel("topics"),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("Vedlegg"), label=_("vedlegg")),
    ]

    parent_page_types = ["documents.DocumentIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenter")
        indexes = [
            models.Index(fields=["document_type", "date"]),
            # The finder's default order and the topic pages' «Dokumenter»: newest first.
            models.Index(fields=["-date", "-page_ptr"], name="documents_newest"),
        ]

    def clean(self):
        super().clean()
        self.document_number = normalise_document_number(self.document_number)
        if self.document_type:
            error = validate_document_number(self.document_type, self.document_number)
            if error:
                raise ValidationError({"document_number": error})

    @property
    def year(self):
        return self.date.year if self.date else None

    @cached_property
    def chapters(self):
        """(anchor, heading) of each chapter block, for the table of contents."""
        return [
            (block.block.anchor(block.value), block.value["heading"])
            for block in self.body
            if block.block_type == "chapter"
        ]

    @property
    def document_type_label(self):
        """What `get_document_type_display` gives, without hashing every choice's label (a
        translation each) on every call, as Django does: lists show it once per document."""
        return DocumentType(self.document_type).label

    def accessible_format_email(self):
        """Where requests for an accessible version go: the unit's e-mail, else the ministry's."""
        if self.contact_point_id and self.contact_point and self.contact_point.email:
            return self.contact_point.email
        return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]

    def visible_topics(self):
        """The document's live, public topics. In a preview the topics are the form's,
        held in memory, so they are read by id rather than through the relation."""
        return topic_links(self.topics.values_list("id", flat=True))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = list(
            self.attachments.select_related("document", "document__facts").order_by("sort_order")
        )
        context["topics"] = self.visible_topics()
        return context


class DocumentAttachment(Orderable):
    """A file attached to a document page, in the editor's order."""

    page = ParentalKey(DocumentPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(DocumentFile, verbose_name="fil", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(
        "tittel",
        max_length=255,
        blank=True,
        help_text="Tom: filens tittel. Skriv hva fila er, for eksempel «Retningslinjer».",
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")

    @property
    def display_title(self):
        return self.title or self.document.title

    @property
    def facts(self):
        return getattr(self.document, "facts", None)

    def accessible_format_mailto(self):
        """A mailto: link asking the publishing unit for an accessible version of this file."""
        email = self.page.accessible_format_email()
        if not email:
            return ""
        # In the document's målform: the request is about that text, whoever asks.
        with translation.override(self.page.language or "nb"):
            subject = translation.gettext("Tilgjengelig versjon av «%(title)s»") % {"title": self.display_title}
            body = translation.gettext(
                "Jeg ønsker en tilgjengelig versjon av vedlegget «%(title)s» i dokumentet «%(document)s»."
            ) % {
                "title": self.display_title,
                "document": self.page.title,
            }
        return f"mailto:{email}?subject={quote(subject)}&body={quote(body)}"


class DocumentFacts(models.Model):
    """What reading the file told us (see tasks.read_document_facts). A table of its
    own: the background job writes it, never the editor's form for the file."""

    class Status(models.TextChoices):
        PENDING = "pending", "Venter på lesing"
        READABLE = "readable", "Lest"
        UNREADABLE = "unreadable", "Kunne ikke leses"

    document = models.OneToOneField(DocumentFile, on_delete=models.CASCADE, related_name="facts")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    file_hash = models.CharField(max_length=40, blank=True, help_text="The file these facts were read from.")
    file_size = models.PositiveBigIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    page_count = models.PositiveIntegerField(null=True)
    problem = models.CharField(max_length=300, blank=True, help_text="Why the file could not be read.")
    checked_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("filfakta")
        verbose_name_plural = _("filfakta")

    def __str__(self):
        return f"{self.document_id}: {self.status}"


class FeaturedDocument(Orderable):
    """A document an editor puts first in a topic page's «Dokumenter» section; the
    newest documents on the topic fill the section up (see sections.py). The panel for
    these rows is added to TopicPage by this app (apps.py), since policy never imports it."""

    page = ParentalKey("policy.TopicPage", on_delete=models.CASCADE, related_name="featured_documents")
    document = models.ForeignKey(
        DocumentPage, verbose_name="dokument", on_delete=models.CASCADE, related_name="featured_on"
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("utvalgt dokument")
        verbose_name_plural = _("utvalgte dokumenter")
