"""The page backbone: root and home page with the default Site, topic pages, information
pages and the sitemap page, contacts, the main menu and footer in the site settings."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Collection, Locale, Page, PageViewRestriction, Site

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


class PageViewRestrictionFactory(factory.django.DjangoModelFactory):
    """A password on `page`: it and every page below it are hidden from visitors
    (and from the sitemap)."""

    restriction_type = PageViewRestriction.PASSWORD
    password = "hemmelig"

    class Meta:
        model = PageViewRestriction


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
    # As on a running site; made by the first request otherwise, which starts a new purge
    # generation and so would make that request's successor read the settings again.
    SiteSettings.objects.get_or_create(site=site)
    return home


# --- English pages (policy/translations.py) -------------------------------------------


def english_locale():
    return Locale.objects.get_or_create(language_code="en")[0]


def translate_to_english(page, **fields):
    """The English translation of `page`, as «Translate» in the admin makes it (a copy in
    the English tree, whose parent must be translated already), with `fields` written
    over the copy and published. The copy is English (`language="en"`) as the admin's
    is (policy.translations). The home page's translation becomes the English tree's
    root, served at /en/."""
    page = page.specific
    existing = type(page).objects.filter(translation_key=page.translation_key, locale=english_locale()).first()
    english = existing or page.copy_for_translation(english_locale())
    for name, value in fields.items():
        setattr(english, name, value)
    english.save_revision().publish()
    english.refresh_from_db()
    return english


# --- Staff sign-in with a second factor (policy/two_factor.py) ---------------------


def totp_device(user):
    """The user's confirmed authenticator app (a django-otp TOTP device), made if missing."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from policy.two_factor import APP_DEVICE_NAME

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)


def totp_code(device, steps_ahead=0):
    """The code the app shows now (or `steps_ahead` periods of 30 seconds later)."""
    from django_otp.oath import totp

    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{code:0{device.digits}d}"


def verify_session(client, user):
    """Give the client's session the second factor, as typing the app's code on
    /admin/tofaktor/ does (django-otp keeps the device in the session)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()


class StaffClient(Client):
    """Django's test client, whose `force_login` also gives the second factor to
    users who must give one, so tests about other things get a fully signed-in
    user. The requirement itself stays on: tests/policy/test_staff_security.py signs
    in with a password and a code through a plain client."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        from policy.two_factor import requires_two_factor

        # A fresh copy: has_perm caches permissions on the instance the test holds.
        fresh = type(user).objects.get(pk=user.pk)
        if fresh.has_perm("wagtailadmin.access_admin") or requires_two_factor(fresh):
            verify_session(self, fresh)


def verified_staff_client(user):
    """A client signed in as `user` with the second factor given."""
    client = StaffClient()
    client.force_login(user)
    return client


def give_admin_code(page, device, steps_ahead=0):
    """In a browser that has just sent the admin's password form: answer the code
    page with the app `device`, as a person would. Give the user the app
    (`totp_device(user)`) before the password is sent, or the admin asks to set one up."""
    page.wait_for_url("**/admin/tofaktor/**")
    page.fill("#id_code", totp_code(device, steps_ahead))
    page.keyboard.press("Enter")


def page_editor(**fields):
    """Staff who edit pages and nothing else: admin access and «endre» on the whole
    page tree, in a group of their own (Wagtail's "Editors" group is gone after a
    transactional test's flush)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group, _ = Group.objects.get_or_create(name="Sideredaktører")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    change_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    GroupPagePermission.objects.get_or_create(group=group, page=site_root(), permission=change_page)
    user = StaffUserFactory(**fields)
    user.groups.add(group)
    return user
