"""Demo content built from the seed page (../shared/seed). Idempotent: running it
again updates the same pages instead of adding copies. Feature apps extend it
through `policy.registry.register_demo_loader` and reuse `upsert_page`."""

from wagtail.models import Collection, Locale, Page, Site

from .models import ContactPoint, HomePage, SiteSettings, TopicPage


def upsert_page(parent, model, slug, **fields):
    """Create or update the child of `parent` with this slug, and publish it."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def ensure_root():
    """The tree's root; recreated when a test flush removed the one migrations made."""
    if not Locale.objects.exists():
        Locale.objects.create(language_code="nb")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    return root


def load_policy_tree(stdout=None):
    root = ensure_root()
    home = HomePage.objects.child_of(root).first()
    if home is None:
        # Replace Wagtail's "Welcome" page from the initial migration.
        for welcome in Page.objects.child_of(root).exact_type(Page):
            welcome.delete()
        home = HomePage(
            title="Kommunal- og distriktsdepartementet",
            slug="home",
            ingress="Nettsidene til Kommunal- og distriktsdepartementet om regional- og distriktspolitikk.",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Regional- og distriktspolitikk",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()

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
        TopicPage,
        "kommuner-og-regioner",
        title="Kommuner og regioner",
        language="nb",
        ingress="Kommunal- og distriktsdepartementet har ansvar for kommunesektoren og for regional- og distriktspolitikken.",
    )
    topic = upsert_page(
        area,
        TopicPage,
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
        TopicPage,
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
        TopicPage,
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
