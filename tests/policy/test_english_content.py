"""What lands in the English tree: «Translate» in the admin makes an English page (its
målform set to English, in the page and in the draft the editor opens), and the home
and topic sections list the items of their own page's locale, never the other tree's."""

import re

import pytest
from django.contrib.auth.models import Permission

from news.models import NewsPage
from policy import registry
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon
from tests.factories.policy import TopicPageFactory, english_locale, page_editor, translate_to_english

pytestmark = pytest.mark.django_db


@pytest.fixture
def translator(client):
    """A page editor who may also use «Translate» (simple_translation's permission)."""
    editor = page_editor(username="oversetter")
    group = editor.groups.get()
    group.permissions.add(
        Permission.objects.get(content_type__app_label="simple_translation", codename="submit_translation")
    )
    client.force_login(editor)
    return client


def translate_in_admin(client, page, **form):
    response = client.post(f"/admin/translation/submit/page/{page.pk}/", {"locales": [english_locale().pk], **form})
    assert response.status_code == 302, response.content.decode()[:2000]
    return type(page).objects.get(translation_key=page.translation_key, locale=english_locale())


def selected_language(html):
    """The målform chosen in the edit form's select, as the editor sees it."""
    select = re.search(r'<select name="language"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.search(r'<option value="(\w+)"[^>]*selected[^>]*>([^<]+)</option>', select).groups()


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_translate_in_the_admin_makes_an_english_page(home, translator, language):
    translate_to_english(home, title="Regional policy")
    archive = NewsIndexPageFactory(parent=home)
    translate_to_english(archive, title="News")
    item = NewsPageFactory(parent=archive, title="Stølsnytt", language=language, date=at_noon(2026, 3, 2))

    english = translate_in_admin(translator, item)

    assert english.language == "en"
    assert english.live is False  # a draft for the editor to rewrite in English
    assert english.get_latest_revision_as_object().language == "en"
    edit = translator.get(f"/admin/pages/{english.pk}/edit/")
    assert edit.status_code == 200
    assert selected_language(edit.content.decode()) == ("en", "Engelsk")
    item.refresh_from_db()
    assert item.language == language  # the original keeps its målform


def test_translating_a_subtree_makes_every_copy_english(home, translator):
    translate_to_english(home, title="Regional policy")
    archive = NewsIndexPageFactory(parent=home)
    NewsPageFactory(parent=archive, title="Første sak", language="nn")
    NewsPageFactory(parent=archive, title="Andre sak")

    english_archive = translate_in_admin(translator, archive, include_subtree="on")

    copies = NewsPage.objects.child_of(english_archive)
    assert sorted(page.title for page in copies) == ["Andre sak", "Første sak"]
    assert {page.language for page in copies} == {"en"}
    assert {page.get_latest_revision_as_object().language for page in copies} == {"en"}


@pytest.fixture
def two_archives(home):
    """A Norwegian archive with a Norwegian item, and its English translation (empty)."""
    archive = NewsIndexPageFactory(parent=home)
    NewsPageFactory(parent=archive, title="Fjellnytt på norsk", date=at_noon(2026, 5, 1))
    english_home = translate_to_english(home, title="Regional policy")
    english_archive = translate_to_english(archive, title="News", slug="news")
    return archive, english_home, english_archive


@pytest.mark.parametrize("fragment_cache", [False, True])
def test_the_english_home_shows_only_english_news(two_archives, client, settings, fragment_cache):
    settings.FRAGMENT_CACHE_ENABLED = fragment_cache
    archive, english_home, english_archive = two_archives

    norwegian_html = client.get("/").content.decode()  # fills the cache first, when on
    english_html = client.get("/en/").content.decode()

    assert "Fjellnytt på norsk" in norwegian_html
    assert "Fjellnytt på norsk" not in english_html
    assert "home-news-heading" not in english_html  # no items, no section

    item = NewsPageFactory(parent=archive, title="Ny fjellmelding", date=at_noon(2026, 5, 2))
    translate_to_english(item, title="New white paper on mountain areas", ingress="A new white paper.")
    english_html = client.get("/en/").content.decode()
    norwegian_html = client.get("/").content.decode()

    assert "New white paper on mountain areas" in english_html
    assert '<h2 id="home-news-heading" class="ds-heading" data-size="md">News</h2>' in english_html
    assert "Fjellnytt på norsk" not in english_html and "Ny fjellmelding" not in english_html
    assert "New white paper on mountain areas" not in norwegian_html
    assert "Ny fjellmelding" in norwegian_html


def test_a_norwegian_page_moved_under_the_english_archive_is_not_listed(two_archives, client):
    archive, english_home, english_archive = two_archives
    stray = NewsPageFactory(parent=archive, title="Feilplassert sak", date=at_noon(2026, 5, 3))
    stray.move(english_archive, pos="last-child")
    assert "Feilplassert sak" not in client.get("/en/").content.decode()


def test_topic_sections_list_only_their_own_locale(home, client):
    """A translation keeps its original's topics: the English copies of a news item and a
    document are tagged with the Norwegian topic, and are not listed on it."""
    topic = TopicPageFactory(parent=home, title="Fjellpolitikk", slug="fjellpolitikk")
    archive = NewsIndexPageFactory(parent=home)
    item = NewsPageFactory(parent=archive, title="Fjellsak", topics=[topic], date=at_noon(2026, 4, 1))
    finder = DocumentIndexPageFactory(parent=home)
    document = DocumentPageFactory(parent=finder, title="Fjellrapport", topics=[topic])
    translate_to_english(home, title="Regional policy")
    translate_to_english(archive, title="News", slug="news")
    translate_to_english(finder, title="Documents", slug="documents")
    translate_to_english(item, title="Mountain news")
    translate_to_english(document, title="Mountain report")

    html = client.get(topic.url).content.decode()

    assert "Fjellsak" in html and "Fjellrapport" in html
    assert "Mountain news" not in html and "Mountain report" not in html


def test_a_section_with_items_in_some_locales_is_left_out_elsewhere(home, rf, monkeypatch):
    english_home = translate_to_english(home, title="Regional policy")
    monkeypatch.setattr(registry, "_home_sections", {})
    context = {"calls": ["Søk om fjellpilot"]}
    registry.register_home_section(
        "calls", order=10, template="calls.html", get_context=lambda page, request: context, locales=["nb"]
    )
    registry.register_home_section("everywhere", order=20, template="all.html", get_context=lambda page, request: {})
    registry.register_home_section("news", order=30, template="news.html", get_context=lambda page, request: context)

    on_norwegian = registry.render_sections(registry.home_sections(), home, rf.get("/"))
    on_english = registry.render_sections(registry.home_sections(), english_home, rf.get("/en/"))

    assert [entry["template"] for entry in on_norwegian] == ["calls.html", "news.html"]
    assert [entry["template"] for entry in on_english] == ["news.html"]
