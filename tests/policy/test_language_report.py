"""The språklova report in the admin: live pages in bokmål and nynorsk per year and
page type, counted in one query, shown, compared and downloaded (policy/language_report.py)."""

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale

from policy import language_report
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, paragraph
from tests.factories.policy import StaffUserFactory, TopicPageFactory, page_editor

pytestmark = pytest.mark.django_db

URL = "/admin/rapporter/sprakrapport/"
TOPICS = "Temasider"
NEWS = "Nyheter"
ALL = "Alle innholdstyper"


def published(year):
    return datetime.datetime(year, 3, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def pages(home):
    """Live pages with known words (title + ingress + body) in 2024 and 2025, and pages
    the report leaves out: English (marked so, or in the English locale), a draft, and
    a live page's unpublished changes.
    The home page and the news archive were never published, so they have no year."""
    y2024, y2025 = published(2024), published(2025)
    TopicPageFactory(parent=home, title="Alfa beta", ingress="en to tre", first_published_at=y2024)  # 5
    TopicPageFactory(parent=home, title="Gamma", ingress="fire fem seks sju", first_published_at=y2024)  # 5
    TopicPageFactory(parent=home, title="Delta", language="nn", ingress="ein to", first_published_at=y2024)  # 3
    archive = NewsIndexPageFactory(parent=home)
    NewsPageFactory(
        parent=archive,
        title="Nyheit no",
        language="nn",
        ingress="eitt to",
        body=paragraph("«Dette» er – fem ord her."),  # the dash is no word: 2 + 2 + 5
        first_published_at=y2024,
    )
    TopicPageFactory(parent=home, title="Epsilon zeta eta", ingress="a b c d e f g", first_published_at=y2025)  # 10
    TopicPageFactory(parent=home, title="Theta", ingress="en to tre fire", first_published_at=y2025)  # 5
    TopicPageFactory(parent=home, title="Iota", ingress="x", first_published_at=y2025)  # 2
    kappa = TopicPageFactory(parent=home, title="Kappa", language="nn", ingress="eitt", first_published_at=y2025)  # 2
    # Not counted:
    TopicPageFactory(
        parent=home, title="Regional policy", language="en", ingress="In English", first_published_at=y2025
    )
    english, _ = Locale.objects.get_or_create(language_code="en")
    TopicPageFactory(parent=home, title="Copied from bokmål", locale=english, first_published_at=y2025)
    TopicPageFactory(parent=home, title="Utkast", language="nn", ingress="ikkje publisert", live=False)
    kappa.ingress = "mange fleire ord som berre står i utkastet"
    kappa.save_revision()


@pytest.fixture
def editor(client):
    client.force_login(page_editor())
    return client


class Tables(HTMLParser):
    """The rows (cell texts) of each table with a `data-year`, by year."""

    def __init__(self, html):
        super().__init__()
        self.tables, self.year, self.row, self.cell = {}, None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.year = attrs.get("data-year")
            if self.year:
                self.tables[self.year] = []
        elif tag == "tr" and self.year:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.year = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.year].append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def rows(html, year):
    header, *body = Tables(html).tables[str(year)]
    return body


def test_counts_items_and_words_per_year_and_page_type(editor, pages):
    response = editor.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert rows(html, 2024) == [
        [NEWS, "0", "1", "100,0 % (bokmål under 25 %)", "0", "9", "100,0 % (bokmål under 25 %)"],
        [TOPICS, "2", "1", "33,3 %", "10", "3", "23,1 % (under 25 %)"],
        [ALL, "2", "2", "50,0 %", "10", "12", "54,5 %"],
    ]
    assert rows(html, 2025) == [
        [TOPICS, "3", "1", "25,0 %", "17", "2", "10,5 % (under 25 %)"],
        [ALL, "3", "1", "25,0 %", "17", "2", "10,5 % (under 25 %)"],
    ]
    # The years side by side, beside the chart.
    years = Tables(html)
    assert "2023" not in years.tables and "2026" not in years.tables


def test_the_chart_compares_the_years_against_the_25_percent_line(editor, pages):
    html = editor.get(URL).content.decode()
    chart = re.search(r'<svg[^>]*role="img".*?</svg>', html, re.S).group(0)
    assert "2024: 50,0 % av sidene og 54,5 % av ordene på nynorsk." in chart
    assert "2025: 25,0 % av sidene og 10,5 % av ordene på nynorsk." in chart
    assert "25 % (språklova § 10)" in chart
    # Bars are as long as the shares on a 440-unit axis that starts at 64: 25 % is at 174.
    assert 'x1="174.0"' in chart
    widths = re.findall(r'<rect class="language-report__bar[^"]*"[^>]*width="([\d.]+)"', chart)
    assert widths == ["220.0", "239.8", "110.0", "46.2"]
    assert "<script" not in html.split('id="listing-results"')[1]
    assert "style=" not in chart


def test_drafts_and_english_pages_are_not_counted(pages):
    counts = language_report.count_published()
    assert {language for _, _, language, _, _ in counts} == {"nb", "nn"}
    assert sum(items for *_, items, _ in counts) == 8
    assert sum(words for *_, words in counts) == 41


def test_staff_choose_the_years(editor, pages):
    html = editor.get(URL, {"fra": "2025", "til": "2025"}).content.decode()
    assert set(Tables(html).tables) == {"2025"}


def test_a_reversed_range_is_explained_and_keeps_the_choice(editor, pages):
    response = editor.get(URL, {"fra": "2025", "til": "2024"})
    assert response.status_code == 200
    html = response.content.decode()
    message = "«Til år» kan ikke være før «Fra år»."
    assert html.count(message) == 2  # in the summary and at the field
    assert 'href="#id_til"' in html
    assert re.search(r'<option value="2025" selected>', html)
    assert set(Tables(html).tables) == {"2024", "2025"}  # nothing is hidden while it is wrong


def test_a_year_not_in_the_list_is_refused(editor, pages):
    response = editor.get(URL, {"fra": "1999"})
    assert response.status_code == 200
    assert "Velg et år fra lista." in response.content.decode()


def spreadsheet_rows(rows_):
    return {(row[0], row[1]): row[2:] for row in rows_[1:]}


def test_downloads_as_xlsx(editor, pages):
    response = editor.get(URL, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sprakrapport.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0][:5] == ["År", "Innholdstype", "Sider på bokmål", "Sider på nynorsk", "Nynorskdel av sidene (%)"]
    by_key = spreadsheet_rows(table)
    assert by_key[(2024, TOPICS)] == [2, 1, 33.3, "ja", 10, 3, 23.1, "nei"]
    assert by_key[(2024, ALL)] == [2, 2, 50.0, "ja", 10, 12, 54.5, "ja"]
    assert by_key[(2025, ALL)] == [3, 1, 25.0, "ja", 17, 2, 10.5, "nei"]
    assert len(by_key) == 5


def test_downloads_as_csv_for_the_chosen_years(editor, pages):
    response = editor.get(URL, {"export": "csv", "fra": "2024", "til": "2024"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_key = spreadsheet_rows(table)
    assert by_key[("2024", NEWS)] == ["0", "1", "100.0", "nei", "0", "9", "100.0", "nei"]
    assert by_key[("2024", ALL)] == ["2", "2", "50.0", "ja", "10", "12", "54.5", "ja"]
    assert {year for year, _ in by_key} == {"2024"}


def test_counting_takes_one_query_however_many_pages(home, pages, django_assert_num_queries):
    language_report.count_published()  # content types cached, as on a running site
    with django_assert_num_queries(1):
        language_report.count_published()


def test_the_report_reads_as_many_queries_with_more_pages_and_years(editor, home, pages):
    editor.get(URL)  # caches warm
    with CaptureQueriesContext(connection) as before:
        editor.get(URL)
    archive = NewsIndexPageFactory(parent=home, slug="flere")
    for year in (2021, 2022, 2023):
        NewsPageFactory(parent=archive, language="nn", first_published_at=published(year))
        TopicPageFactory(parent=home, first_published_at=published(year))
    with CaptureQueriesContext(connection) as after:
        html = editor.get(URL).content.decode()
    assert {"2021", "2022", "2023"} <= set(Tables(html).tables)
    assert len(after) == len(before)


def test_only_page_editors_see_the_report(client, editor, pages):
    menu = editor.get("/admin/").content.decode()
    assert URL in menu
    # Staff with admin access but no page permissions (as a case handler).
    from django.contrib.auth.models import Permission

    other = StaffUserFactory()
    other.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(other)
    assert URL not in client.get("/admin/").content.decode()
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert "Nynorskdel" not in response.content.decode()


def test_visitors_are_sent_to_sign_in(pages):
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
