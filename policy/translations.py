"""English pages beside the Norwegian ones, with Wagtail's own locales.

The page tree has two content languages: Norwegian (locale "nb", whose pages are
bokmål or nynorsk originals, each page's `language` field saying which) and English
(locale "en"), whose pages are translations of Norwegian ones, written by hand.
Norwegian pages keep their addresses; English pages live under /en/.

Which pages are translations of which is read once per purge generation
(policy.plumbing), so a Norwegian page asks nothing more of the database for its
hreflang links and its language link.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count
from django.urls import LocalePrefixPattern
from django.utils import translation
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page
from wagtail.signals import copy_for_translation_done, page_published, page_unpublished

from . import plumbing
from .links import absolute_url

ENGLISH = "en"
ENGLISH_PREFIX = f"/{ENGLISH}/"


class EnglishPrefixPattern(LocalePrefixPattern):
    """The URL prefix of page addresses: /en/ for English, none for Norwegian.

    Django's own i18n_patterns would give nynorsk (a language of the interface) a
    /nn/ prefix too; here bokmål and nynorsk pages share the Norwegian tree and its
    addresses, so only English has one."""

    def __init__(self):
        super().__init__(prefix_default_language=False)

    @property
    def language_prefix(self):
        return f"{ENGLISH}/" if translation.get_language() == ENGLISH else ""


def is_english_path(path):
    return path == ENGLISH_PREFIX[:-1] or path.startswith(ENGLISH_PREFIX)


class ContentLanguageMiddleware:
    """Activates English for addresses under /en/ before the URL is resolved, so that
    Wagtail routes them from the English home page (Page.localized) and English page
    URLs get their prefix. Norwegian addresses keep the default language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_english_path(request.path_info):
            with translation.override(ENGLISH):
                return self.get_response(request)
        return self.get_response(request)


def content_language():
    """The Wagtail content language of the active language: nynorsk belongs to the
    Norwegian locale "nb"."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return settings.LANGUAGE_CODE


def _locale_codes():
    return dict(Locale.objects.values_list("pk", "language_code"))


def locale_code(page):
    """The language code of `page`'s Wagtail locale ("nb" or "en"), read once per
    purge generation on public pages."""
    if plumbing.in_snapshot():
        return plumbing.per_generation("locale_codes", _locale_codes).get(page.locale_id)
    return page.locale.language_code


@dataclass(frozen=True)
class Version:
    """One language version of a page: its page id, locale, `lang` (nb, nn or en)
    and absolute address."""

    page_id: int
    locale: str
    lang: str
    url: str

    @property
    def is_original(self):
        return self.locale != ENGLISH


def _versions_of(pages):
    """Every page in `pages` (live, public, translated) as its versions, by page id."""
    groups = {}
    locales = _locale_codes()
    for page in pages.defer_streamfields().specific().order_by("path"):
        parts = page.get_url_parts()
        if not parts or parts[2] is None:
            continue
        locale = locales[page.locale_id]
        lang = ENGLISH if locale == ENGLISH else getattr(page, "language", None) or locale
        version = Version(page.pk, locale, lang, absolute_url(parts[2]))
        groups.setdefault(page.translation_key, []).append(version)
    return {version.page_id: tuple(group) for group in groups.values() if len(group) > 1 for version in group}


def _translated_pages():
    shared = (
        Page.objects.live().values("translation_key").annotate(versions=Count("pk")).filter(versions__gt=1)
    ).values("translation_key")
    return Page.objects.live().public().filter(translation_key__in=shared)


def versions(page):
    """The live, public language versions of `page` (itself included), or () when it
    has no translation. Read once per purge generation on public pages; a preview or
    the admin asks the database."""
    if page.pk is None:
        return ()
    if plumbing.in_snapshot():
        return plumbing.per_generation("translations", lambda: _versions_of(_translated_pages())).get(page.pk, ())
    pages = Page.objects.live().public().filter(translation_key=page.translation_key)
    return _versions_of(pages).get(page.pk, ())


@dataclass(frozen=True)
class Alternates:
    """What a page's head and header show about its other language versions."""

    links: tuple  # (hreflang, url): every version, then x-default for the Norwegian original
    switch: Version | None  # the version the header's language link goes to

    def __bool__(self):
        return bool(self.links)


NONE = Alternates((), None)


def alternates(page):
    found = versions(page)
    if not found:
        return NONE
    original = next((version for version in found if version.is_original), None)
    links = tuple((version.lang, version.url) for version in found)
    if original is not None:
        links += (("x-default", original.url),)
    mine = next(version for version in found if version.page_id == page.pk)
    # A Norwegian page links to its English version, an English page to its original.
    switch = next((version for version in found if version.is_original != mine.is_original), None)
    return Alternates(links, switch)


def localized(page):
    """`page` in the active content language (the English home page under /en/), or
    `page` itself: Wagtail's `Page.localized` without its locale query, which every
    Norwegian page and every rich-text link to one would ask."""
    found = versions(page)
    wanted = content_language()
    target = next((version for version in found if version.locale == wanted), None)
    if target is None or target.page_id == page.pk:
        return page
    return Page.objects.get(pk=target.page_id).specific


def answers_in_active_language(home):
    """False when an English address (/en/…) reaches a home page that is not English:
    there is no English tree, and the Norwegian one must not answer under /en/."""
    if content_language() != ENGLISH:
        return True
    return any(version.page_id == home.pk and version.locale == ENGLISH for version in versions(home))


def _purge_translations(sender, instance, **kwargs):
    """A page's translations link to it (hreflang, the language link): when it is
    published or unpublished, their cached copies go too, not only its own."""
    others = Page.objects.live().filter(translation_key=instance.translation_key).exclude(pk=instance.pk)
    if others:
        purge_pages_from_cache(others)


page_published.connect(_purge_translations, dispatch_uid="translations_page_published")
page_unpublished.connect(_purge_translations, dispatch_uid="translations_page_unpublished")


def _copy_is_english(sender, source_obj, target_obj, **kwargs):
    """«Translate» copies a Norwegian page into the English tree with every field of the
    original, its målform (bokmål or nynorsk) too. A page in the English tree is English:
    the copy and the draft revision the editor opens say so, so its interface, `lang` and
    hreflang are English even before anyone edits it."""
    if not isinstance(target_obj, Page) or target_obj.locale.language_code != ENGLISH:
        return
    page = target_obj.specific
    try:
        page._meta.get_field("language")
    except FieldDoesNotExist:
        return
    page.language = ENGLISH
    page.save(update_fields=["language"], clean=False)
    revision = page.latest_revision
    if revision is not None and revision.content.get("language") != ENGLISH:
        revision.content["language"] = ENGLISH
        revision.save(update_fields=["content"])


copy_for_translation_done.connect(_copy_is_english, dispatch_uid="translations_copy_is_english")
