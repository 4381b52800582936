"""Wagtail's per-request plumbing kept per process (policy.plumbing): no view-restriction
queries while the site has none, the site, home page and settings read once per purge
generation, and nested pages routed in two queries, without any of it going stale when
an editor makes a page private or changes the settings."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from tests.factories.news import GovernmentFactory, NewsIndexPageFactory, NewsPageFactory, at_noon
from tests.factories.pilots import staff
from tests.factories.policy import (
    PageViewRestrictionFactory,
    TopicPageFactory,
    UserFactory,
    set_navigation,
    verified_staff_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(home, settings):
    settings.PAGE_CACHE_ENABLED = False  # every request reaches the page itself
    area = TopicPageFactory(parent=home, title="Kommuneområdet", slug="omrade")
    topic = TopicPageFactory(parent=area, title="Fjellpolitikk", slug="fjellpolitikk")
    subtopic = TopicPageFactory(parent=topic, title="Stølsavtalar", slug="stolsavtalar", language="nn")
    return area, topic, subtopic


def sql_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def warm(client, url):
    """The first requests of a generation read the cached answers (and create the
    site's settings row, which starts a new generation)."""
    client.get(url)
    client.get(url)


def test_a_site_without_view_restrictions_asks_no_restriction_site_or_settings_queries(tree, client):
    url = tree[2].url
    warm(client, url)
    queries = sql_of(client, url)
    assert not [sql for sql in queries if "wagtailcore_pageviewrestriction" in sql]
    assert not [sql for sql in queries if 'FROM "wagtailcore_site"' in sql]
    assert not [sql for sql in queries if 'FROM "policy_sitesettings"' in sql]
    assert not [sql for sql in queries if "wagtail_site_root_paths" in sql]


def test_nested_pages_are_routed_in_two_queries_at_any_depth(tree, client):
    area, _, subtopic = tree
    shallow = TopicPageFactory(parent=area, title="Beitebruk", slug="beitebruk")
    deep = TopicPageFactory(parent=subtopic, title="Seterdrift", slug="seterdrift")
    warm(client, shallow.url)
    shallow_queries = sql_of(client, shallow.url)
    deep_queries = sql_of(client, deep.url)
    assert len(deep_queries) == len(shallow_queries)
    tree_reads = [sql for sql in deep_queries if 'FROM "wagtailcore_page"' in sql and '"slug" IN' in sql]
    assert len(tree_reads) == 1


def test_routing_keeps_wagtails_answers(tree, client):
    area, topic, subtopic = tree
    html = client.get(subtopic.url).content.decode()
    assert "<h1" in html and "Stølsavtalar" in html
    # The breadcrumbs come from the routing's own query, in tree order.
    crumbs = html[html.index("ds-breadcrumbs") : html.index("</nav>", html.index("ds-breadcrumbs"))]
    assert crumbs.index("Kommuneområdet") < crumbs.index("Fjellpolitikk") < crumbs.index("Stølsavtalar")
    assert client.get("/omrade/finnes-ikke/").status_code == 404
    assert client.get("/finnes-ikke/fjellpolitikk/").status_code == 404
    subtopic.unpublish()
    assert client.get(subtopic.url).status_code == 404
    # A draft page on the way does not hide the live pages below it, as in Wagtail.
    Page.objects.filter(pk=area.pk).update(live=False)
    assert client.get(topic.url).status_code == 200
    assert client.get(area.url).status_code == 404


def test_a_routable_page_keeps_its_own_routes(home, client, settings):
    settings.PAGE_CACHE_ENABLED = False
    archive = NewsIndexPageFactory(parent=home)
    NewsPageFactory(parent=archive, title="Ny ordning for fjellbygder")
    response = client.get(archive.url + "rss/")
    assert response.status_code == 200
    assert "Ny ordning for fjellbygder" in response.content.decode()
    assert client.get(archive.url + "finnes-ikke/").status_code == 404


def test_a_restriction_added_by_an_editor_applies_on_the_next_request(tree, client):
    _, topic, subtopic = tree
    assert client.get(subtopic.url).status_code == 200  # cached: no restrictions on the site
    PageViewRestrictionFactory(page=topic)
    response = client.get(subtopic.url)
    assert response.status_code == 200 and "passord" in response.content.decode().lower()
    assert "Stølsavtalar" not in response.content.decode().split("<main", 1)[-1].split("</main>")[0]
    # `.public()` lists leave the private section out again as well.
    area_html = client.get(tree[0].url).content.decode()
    assert "Fjellpolitikk" not in area_html.split("<main", 1)[-1]


def test_a_login_restriction_still_means_staff(tree):
    _, topic, _ = tree
    visitor = Client()
    assert visitor.get(topic.url).status_code == 200
    PageViewRestriction.objects.create(page=topic, restriction_type=PageViewRestriction.LOGIN)
    assert visitor.get(topic.url).status_code == 302
    applicant = Client()
    applicant.force_login(UserFactory(email="soker@kommune.example"))
    response = applicant.get(topic.url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=")
    staff_member = verified_staff_client(staff("Editors"))
    response = staff_member.get(topic.url)
    assert response.status_code == 200 and "Fjellpolitikk" in response.content.decode()


def test_a_removed_restriction_opens_the_page_at_once(tree, client):
    _, topic, _ = tree
    restriction = PageViewRestrictionFactory(page=topic)
    assert "passord" in client.get(topic.url).content.decode().lower()
    restriction.delete()
    assert "passord" not in client.get(topic.url).content.decode().lower()


def test_a_settings_change_shows_at_once(tree, client, home):
    url = tree[1].url
    assert "Kommunal- og distriktsdepartementet" in client.get(url).content.decode()
    site_settings = set_navigation(home)
    site_settings.organisation_name = "Fjelldepartementet"
    site_settings.save()
    html = client.get(url).content.decode()
    assert "Fjelldepartementet" in html and "Kommunal- og distriktsdepartementet" not in html


def test_a_republished_home_page_shows_at_once(home, client, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/")
    home.title = "Ny forside"
    home.save_revision().publish()
    assert "Ny forside" in client.get("/").content.decode()


def test_a_renamed_government_shows_on_its_items_at_once(home, client, settings):
    settings.PAGE_CACHE_ENABLED = False
    government = GovernmentFactory(name="Regjeringen Fjell", start_date=datetime.date(2020, 1, 1))
    item = NewsPageFactory(parent=NewsIndexPageFactory(parent=home), date=at_noon(2022, 5, 4))
    warm(client, item.url)
    assert "Regjeringen Fjell" in client.get(item.url).content.decode()
    government.name = "Regjeringen Dal"
    government.save()
    html = client.get(item.url).content.decode()
    assert "Regjeringen Dal" in html and "Regjeringen Fjell" not in html
    government.delete()
    assert "Regjeringen Dal" not in client.get(item.url).content.decode()


def test_an_items_topic_links_follow_publishing_at_once(tree, home, client):
    _, topic, subtopic = tree
    item = NewsPageFactory(parent=NewsIndexPageFactory(parent=home), topics=[topic, subtopic])
    warm(client, item.url)
    links = main_of(client.get(item.url))
    assert links.index(f'href="{topic.url}"') < links.index(f'href="{subtopic.url}"')  # tree order
    subtopic.title = "Sætrar"
    subtopic.save_revision().publish()
    assert ">Sætrar</a>" in main_of(client.get(item.url))
    subtopic.unpublish()
    html = main_of(client.get(item.url))
    assert f'href="{topic.url}"' in html and "Sætrar" not in html


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]
