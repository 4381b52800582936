"""Demo content built from the seed page: the home page, the topic tree and the
contact point. Idempotent: running it again updates the same pages instead of adding
copies. The other demo modules reuse `upsert_page`."""

from policy.models import ContactPoint, SiteSettings
from tests.factories.policy import TopicPageFactory, site_tree


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

    settings = SiteSettings.for_site(site)
    settings.organisation_name = "Kommunal- og distriktsdepartementet"
    if not settings.accessibility_statement_url:
        settings.accessibility_statement_url = "https://uustatus.no/"
    settings.save()

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
    melding = upsert_page(
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
            "featured_items",
            {
                "heading": "",
                "items": [
                    {"page": melding, "url": "", "title": "", "text": "", "lang": ""},
                    {"page": bygdevekst, "url": "", "title": "", "text": "", "lang": "nn"},
                ],
            },
        ),
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
    return home
