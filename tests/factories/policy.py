"""The page backbone: root and home page with the default Site, topic pages, information
pages and the sitemap page, contacts, the main menu and footer in the site settings."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.models import Collection, Locale, Page, Site

from policy.models import ContactPoint, HomePage, InformationPage, SitemapPage, SiteSettings, TopicPage


class BasePageFactory(wagtail_factories.PageFactory):
    """A live page in bokmål. With `publish=True` it also gets a published revision,
    as an editor's «Publiser» would give it (signals, `last_published_at`, purges)."""

    title = factory.Sequence(lambda n: f"Side {n}")
    language = "nb"
    ingress = factory.LazyAttribute(lambda page: f"Ingress for {page.title}.")

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def publish(page, create, extracted, **kwargs):
        if create and extracted:
            page.save_revision().publish()
            page.refresh_from_db()


class HomePageFactory(BasePageFactory):
    title = "Forside"
    slug = "home"

    class Meta:
        model = HomePage
        skip_postgeneration_save = True


class TopicPageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Tema {n}")

    class Meta:
        model = TopicPage
        skip_postgeneration_save = True


class InformationPageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Informasjon {n}")

    class Meta:
        model = InformationPage
        skip_postgeneration_save = True


class SitemapPageFactory(BasePageFactory):
    title = "Nettstedskart"
    slug = "nettstedskart"

    class Meta:
        model = SitemapPage
        skip_postgeneration_save = True


def menu_link(page=None, *, url="", title="", lang=""):
    """One link of the main menu or the footer, as `site_navigation` takes it."""
    return ("link", {"page": page, "url": url, "title": title, "lang": lang})


def set_navigation(home, *, menu=(), footer=(), **pages):
    """Set the main menu, the footer links and the chosen pages (`privacy_page`,
    `accessibility_page`, `sitemap_page`) of the home page's site."""
    site_settings = SiteSettings.for_site(home.get_site())
    site_settings.main_menu = list(menu)
    site_settings.footer_links = list(footer)
    for name, page in pages.items():
        setattr(site_settings, name, page)
    site_settings.save()
    return site_settings


class ContactPointFactory(factory.django.DjangoModelFactory):
    unit = factory.Sequence(lambda n: f"Avdeling {n}")
    phone = "22 00 00 00"
    email = factory.Sequence(lambda n: f"avdeling{n}@departement.example")
    postal_address = "Postboks 1, 0001 Oslo"
    visiting_address = "Gate 1, Oslo"

    class Meta:
        model = ContactPoint


class UserFactory(factory.django.DjangoModelFactory):
    """A person who signs in with an e-mail link: no usable password."""

    username = factory.LazyAttribute(lambda user: user.email)
    email = factory.Sequence(lambda n: f"person{n}@kommune.example")

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        if extracted:
            user.set_password(extracted)
        else:
            user.set_unusable_password()
        if create:
            user.save()


class StaffUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"redaktor{n}")
    email = factory.Sequence(lambda n: f"redaktor{n}@departement.example")
    is_staff = True


SITE_NAME = "Regional- og distriktspolitikk"


def site_root():
    """The tree's root node, recreated when a transactional test's flush removed it."""
    if not Locale.objects.exists():
        Locale.objects.create(language_code="nb")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(title="Root", slug="root")


def site_tree(hostname=None, port=None, **home_fields):
    """A home page as the default Site's root, replacing Wagtail's "Welcome" page.
    Returns the home page; an existing one is reused. The Site keeps its address
    (`manage.py set_site` gives it SITE_URL's) unless `hostname`/`port` are given;
    a new Site gets localhost:80."""
    root = site_root()
    home = HomePage.objects.child_of(root).first()
    if home is None:
        for welcome in Page.objects.child_of(root).exact_type(Page):
            welcome.delete()
        home = HomePageFactory(parent=root, **home_fields)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True, site_name=SITE_NAME)
    site.hostname = hostname or site.hostname or "localhost"
    site.port = port or site.port or 80
    site.root_page = home
    Site.objects.filter(is_default_site=False, hostname=site.hostname, port=site.port).delete()
    site.save()
    return home
