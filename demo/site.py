"""Demo content built from the seed page: the home page, the topic tree, the contact
point, the privacy and accessibility statements, the sitemap for people and, once
every loader has made its pages, the main menu. Idempotent: running it again updates
the same pages instead of adding copies. The other demo modules reuse `upsert_page`."""

import datetime

from django.conf import settings
from wagtail.models import Page

from demo.trust_pages import ACCESSIBILITY, PRIVACY
from policy.models import ContactPoint, SiteSettings
from tests.factories.policy import InformationPageFactory, SitemapPageFactory, TopicPageFactory, site_tree

# The front page of uustatus.no, which earlier versions of the demo linked as the
# accessibility statement; the site now has its own.
UUSTATUS_FRONT_PAGE = "https://uustatus.no/"
STATEMENTS_UPDATED = datetime.date(2026, 11, 29)


def upsert_page(parent, factory, slug, **fields):
    """Create (with the page type's factory) or update the child of `parent` with this
    slug, and publish it."""
    page = factory._meta.model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = factory(parent=parent, slug=slug, publish=False, **fields)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def load_policy_tree(stdout=None):
    home = site_tree(
        title="Kommunal- og distriktsdepartementet",
        ingress="Nettsidene til Kommunal- og distriktsdepartementet om regional- og distriktspolitikk.",
        publish=True,
    )
    site = home.get_site()

    contact, _ = ContactPoint.objects.update_or_create(
        unit="Regionalpolitisk avdeling",
        defaults={
            "phone": "22 24 70 01",
            "postal_address": "Postboks 8112 Dep., 0032 Oslo",
            "visiting_address": "Akersgt. 59, Oslo",
        },
    )
    contact.save_revision()

    area = upsert_page(
        home,
        TopicPageFactory,
        "kommuner-og-regioner",
        title="Kommuner og regioner",
        language="nb",
        ingress="Kommunal- og distriktsdepartementet har ansvar for kommunesektoren og for regional- og distriktspolitikken.",
    )
    topic = upsert_page(
        area,
        TopicPageFactory,
        "regional-og-distriktspolitikk",
        title="Regional- og distriktspolitikk",
        language="nb",
        ingress=(
            "Ulike deler av landet står overfor ulike utfordringer og muligheter. Befolkningsgrunnlag, "
            "flyttetendenser, næringstruktur og næringsutvikling påvirker den regionale utviklingen. "
            "Målet med regional- og distriktspolitikken er regional balanse gjennom vekstkraft, "
            "likeverdige levekår og bærekraftige regioner i hele landet."
        ),
    )
    upsert_page(
        topic,
        TopicPageFactory,
        "ny-distriktsmelding",
        title="Ny distriktsmelding",
        language="nb",
        ingress=(
            "Regjeringen har startet opp arbeidet med en ny distriktsmelding. Den skal etter planen "
            "legges fram for Stortinget våren 2023."
        ),
    )
    bygdevekst = upsert_page(
        topic,
        TopicPageFactory,
        "bygdevekstavtaler",
        title="Bygdevekstavtaler",
        language="nn",
        ingress=(
            "Regjeringa har lyst ut midlar til utprøving av bygdevekstavtaler i inntil fem pilotområder "
            "i dei minst sentrale delane av Distrikts-Noreg. Fristen for å søke om å bli pilotkommune "
            "var 30. september."
        ),
    )
    topic.body = [
        (
            "newsletter",
            {
                "heading": "Ønsker du siste nytt om regional- og distriktspolitikk? Meld deg på vårt nyhetsbrev",
                "text": "Regionalnytt er et nyhetsbrev med inspirasjon og informasjon om regional- og distriktspolitikk.",
                "link": None,
                "link_text": "Meld deg på",
                "lang": "",
            },
        ),
        ("contact", {"contact": contact}),
    ]
    topic.save_revision().publish()
    home.body = [
        (
            "featured_items",
            {
                "heading": "Utvalgt",
                "items": [
                    {"page": topic, "url": "", "title": "", "text": "", "lang": ""},
                    {"page": bygdevekst, "url": "", "title": "", "text": "", "lang": "nn"},
                ],
            },
        )
    ]
    home.save_revision().publish()

    site_settings = SiteSettings.for_site(site)
    site_settings.organisation_name = "Kommunal- og distriktsdepartementet"
    site_settings.privacy_page = upsert_page(
        home,
        InformationPageFactory,
        "personvern",
        title="Personvernerklæring",
        language="nb",
        ingress=PRIVACY["ingress"],
        updated=STATEMENTS_UPDATED,
        body=PRIVACY["body"](retention_years=settings.PILOTS_RETENTION_YEARS),
    )
    site_settings.accessibility_page = upsert_page(
        home,
        InformationPageFactory,
        "tilgjengelighet",
        title="Tilgjengelighetserklæring",
        language="nb",
        ingress=ACCESSIBILITY["ingress"],
        updated=STATEMENTS_UPDATED,
        body=ACCESSIBILITY["body"](),
    )
    if site_settings.accessibility_statement_url == UUSTATUS_FRONT_PAGE:
        site_settings.accessibility_statement_url = ""
    site_settings.sitemap_page = upsert_page(
        home,
        SitemapPageFactory,
        "nettstedskart",
        title="Nettstedskart",
        language="nb",
        ingress="Alle sidene på nettstedet. Nyheter, dokumenter og utgaver av nyhetsbrevet finner du i arkivene.",
    )
    site_settings.save()
    return home


# The main menu, in this order: (slug of the page, link text or "" for its title).
MENU = [
    ("regional-og-distriktspolitikk", ""),
    ("bygdevekstavtaler", ""),
    ("aktuelt", ""),
    ("dokumenter", ""),
    ("regionalnytt", ""),
    ("demo-utlysing", "Søk om å bli pilotområde"),
]


def load_navigation(home, stdout=None):
    """The main menu; run after the other loaders, which make most of its pages."""
    site_settings = SiteSettings.for_site(home.get_site())
    pages = {page.slug: page for page in Page.objects.descendant_of(home).filter(slug__in=[s for s, _ in MENU])}
    site_settings.main_menu = [
        (
            "link",
            {
                "page": pages[slug],
                "url": "",
                "title": title,
                "lang": language if (language := pages[slug].specific.language) != "nb" else "",
            },
        )
        for slug, title in MENU
        if slug in pages
    ]
    site_settings.save()
