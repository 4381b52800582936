"""StreamField blocks shared by every page type.

Blocks that hold their own text carry an optional målform, so a bokmål page can
show a nynorsk item with the right `lang` attribute (the seed page mixes both).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.models import Page
from wagtail.snippets.blocks import SnippetChooserBlock

LANGUAGE_CHOICES = [("nb", _("Bokmål")), ("nn", _("Nynorsk")), ("en", _("Engelsk"))]

# Rich text: the formatting every text block offers, and the headings a page body adds.
# Headings inside a block start one level below the block's own heading.
TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
BODY_FEATURES = ["h2", "h3", *TEXT_FEATURES]


class SettingChoiceBlock(blocks.ChoiceBlock):
    """A choice that sets how a block shows (a heading's level, a box's colour, a målform),
    not text a visitor reads: kept out of the search index, or "nivå" would find every
    page with a heading. (`search_index=False` would do the same, but it is a constructor
    argument, frozen into the migrations of every app that uses the block.)"""

    def get_searchable_content(self, value):
        return []


class LanguageBlock(SettingChoiceBlock):
    def __init__(self, **kwargs):
        super().__init__(
            choices=LANGUAGE_CHOICES,
            required=False,
            label="Målform",
            help_text="Velg bare når teksten har en annen målform enn siden.",
            **kwargs,
        )


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Overskrift")
    level = SettingChoiceBlock(
        choices=[("h2", "Nivå 2"), ("h3", "Nivå 3"), ("h4", "Nivå 4")], default="h2", label="Nivå"
    )

    class Meta:
        icon = "title"
        label = "Overskrift"
        template = "policy/blocks/heading.html"


class CalloutBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Overskrift", required=False)
    text = blocks.RichTextBlock(features=TEXT_FEATURES, label="Tekst")
    variant = SettingChoiceBlock(
        choices=[("info", "Informasjon"), ("warning", "Advarsel"), ("success", "Bekreftelse")],
        default="info",
        label="Type",
    )
    lang = LanguageBlock()

    class Meta:
        icon = "warning"
        label = "Faktaboks"
        template = "policy/blocks/callout.html"


class LinkBlock(blocks.StructBlock):
    """A link to a page on the site or to an external address."""

    page = blocks.PageChooserBlock(required=False, label="Side")
    url = blocks.URLBlock(required=False, label="Ekstern adresse")
    title = blocks.CharBlock(required=False, label="Lenketekst", help_text="Tom: sidens tittel.")
    lang = LanguageBlock()

    class Meta:
        icon = "link"
        label = "Lenke"

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks.struct_block import StructBlockValidationError

        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError("Velg en side eller skriv en ekstern adresse.")}
            )
        if value.get("url") and not value.get("title"):
            raise StructBlockValidationError(
                block_errors={"title": ValidationError("En ekstern lenke trenger lenketekst.")}
            )
        return value


class LinkListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, label="Overskrift")
    links = blocks.ListBlock(LinkBlock(), label="Lenker")

    class Meta:
        icon = "list-ul"
        label = "Lenkeliste"
        template = "policy/blocks/link_list.html"


class FeaturedItemBlock(LinkBlock):
    """A teaser for a page: a link with the page's ingress, or a text of its own
    (the seed's "Ny distriktsmelding" and "Bygdevekstavtaler" items)."""

    title = blocks.CharBlock(required=False, label="Tittel", help_text="Tom: sidens tittel.")
    text = blocks.TextBlock(required=False, label="Tekst", help_text="Tom: sidens ingress.")

    class Meta:
        icon = "doc-full"
        label = "Utvalgt sak"

    def bulk_to_python(self, values):
        """The chosen pages as their specific types, since a card shows the page's
        ingress: one query for the page types and one per type, where the chooser's
        own loading plus `.specific` on each card would ask once per card."""
        page_ids = [value.get("page") for value in values]
        items = super().bulk_to_python([{k: v for k, v in value.items() if k != "page"} for value in values])
        pages = Page.objects.filter(pk__in=[pk for pk in page_ids if pk]).specific().in_bulk()
        for item, pk in zip(items, page_ids, strict=True):
            item["page"] = pages.get(pk)
        return items


class FeaturedItemsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, label="Overskrift")
    items = blocks.ListBlock(FeaturedItemBlock(), label="Saker")

    class Meta:
        icon = "grip"
        label = "Utvalgte saker"
        template = "policy/blocks/featured_items.html"


class ContactBlock(blocks.StructBlock):
    contact = SnippetChooserBlock("policy.ContactPoint", label="Kontaktpunkt")

    class Meta:
        icon = "mail"
        label = "Kontakt"
        template = "policy/blocks/contact.html"


class NewsletterCallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Overskrift")
    text = blocks.TextBlock(required=False, label="Tekst")
    link = blocks.PageChooserBlock(required=False, label="Påmeldingsside")
    link_text = blocks.CharBlock(default="Meld deg på", label="Lenketekst")
    lang = LanguageBlock()

    class Meta:
        icon = "mail"
        label = "Nyhetsbrev"
        template = "policy/blocks/newsletter_cta.html"

    def get_searchable_content(self, value):
        # The button text is the same on every page with the block ("Meld deg på"):
        # it says nothing about the page.
        return [
            *self.child_blocks["heading"].get_searchable_content(value.get("heading", "")),
            *self.child_blocks["text"].get_searchable_content(value.get("text", "")),
        ]


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, features=BODY_FEATURES, **kwargs):
        super().__init__(features=features, label="Tekst", **kwargs)


class BaseStreamBlock(blocks.StreamBlock):
    """What every body offers: text, headings, fact boxes and link lists."""

    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    callout = CalloutBlock()
    link_list = LinkListBlock()


class PageStreamBlock(BaseStreamBlock):
    """The body of home, topic and news pages."""

    featured_items = FeaturedItemsBlock()
    contact = ContactBlock()
    newsletter = NewsletterCallToActionBlock()
