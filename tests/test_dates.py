"""One way of writing a date on the whole site: Django's Norwegian DATE_FORMAT
("6. oktober 2022"), in Oslo time, on every page that shows one, in the application
portal's own formatting and in every template."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from documents.models import DocumentType
from newsletter.models import NewsletterIssuePage
from pilots.formatting import oslo_date, oslo_datetime
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon
from tests.factories.newsletter import NewsletterIndexPageFactory, NewsletterIssuePageFactory
from tests.factories.policy import TopicPageFactory

ROOT = Path(__file__).resolve().parent.parent
# 06.10.2022, 6.10.2022, 2022-10-06: dates written some other way.
OTHER_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b|>\s*\d{4}-\d{2}-\d{2}\s*<")


def main_content(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.django_db
def test_every_page_writes_dates_the_same_way(home):
    topic = TopicPageFactory(parent=home, title="Bygdevekst")
    archive = NewsIndexPageFactory(parent=home)
    item = NewsPageFactory(parent=archive, title="Ny ordning", topics=[topic], date=at_noon(2022, 10, 6))
    nynorsk = NewsPageFactory(
        parent=archive, title="Ny ordning på nynorsk", language="nn", topics=[topic], date=at_noon(2022, 9, 1)
    )
    finder = DocumentIndexPageFactory(parent=home)
    document = DocumentPageFactory(
        parent=finder,
        title="Rapport om bygdevekst",
        document_type=DocumentType.REPORT,
        date=datetime.date(2024, 2, 1),
        topics=[topic],
    )
    newsletters = NewsletterIndexPageFactory(parent=home)
    issue = NewsletterIssuePageFactory(parent=newsletters, publish=True)
    # Late on New Year's Eve in UTC is already 1 January in Oslo.
    NewsletterIssuePage.objects.filter(pk=issue.pk).update(
        first_published_at=datetime.datetime(2023, 12, 31, 23, 30, tzinfo=datetime.UTC)
    )
    client = Client()

    expected = {
        item.url: ["6. oktober 2022"],
        nynorsk.url: ["1. september 2022"],
        archive.url: ["6. oktober 2022", "1. september 2022"],
        topic.url: ["6. oktober 2022", "1. februar 2024"],
        finder.url: ["1. februar 2024"],
        document.url: ["1. februar 2024"],
        newsletters.url: ["1. januar 2024"],
        issue.url: ["1. januar 2024"],
    }
    for url, dates in expected.items():
        html = main_content(client, url)
        for date in dates:
            assert date in html, f"{url} should say {date}"
        assert not OTHER_DATE.findall(html), f"{url} writes a date another way: {OTHER_DATE.findall(html)}"


@pytest.mark.parametrize(
    ("language", "day", "new_year", "deadline"),
    [
        ("nb", "6. oktober 2022", "1. januar 2024", "30. september 2022 kl. 23.59"),
        ("nn", "6. oktober 2022", "1. januar 2024", "30. september 2022 kl. 23.59"),
        ("en", "Oct. 6, 2022", "Jan. 1, 2024", "Sept. 30, 2022 at 23:59"),
    ],
)
def test_portal_dates_are_in_the_interface_language_and_in_oslo_time(language, day, new_year, deadline):
    """The portal writes dates in the language the applicant chose, always in Oslo time:
    23.30 UTC on New Year's Eve is already the next year there."""
    with translation.override(language):
        assert oslo_date(datetime.date(2022, 10, 6)) == day
        assert oslo_date(datetime.datetime(2023, 12, 31, 23, 30, tzinfo=datetime.UTC)) == new_year
        assert oslo_datetime(datetime.datetime(2022, 9, 30, 21, 59, 59, tzinfo=datetime.UTC)) == deadline
    assert oslo_date(None) == "" and oslo_datetime(None) == ""


def test_portal_dates_match_the_public_pages():
    """The portal's filter gives what `|date:"DATE_FORMAT"` gives on a public page."""
    day = timezone.make_aware(datetime.datetime(2025, 5, 17, 12))
    rendered = Template('{{ day|date:"DATE_FORMAT" }}').render(Context({"day": day}))
    assert rendered == oslo_date(day) == "17. mai 2025"


# `|date:"…"` with its format, and the attribute it sits in, if any.
DATE_FILTER = re.compile(r"""(?:(\w[\w:-]*)="[^"]*)?\{\{[^}]*\|date:(["'])(.*?)\2[^}]*\}\}""")
NAMED_FORMATS = {"DATE_FORMAT", "DATETIME_FORMAT"}
# Machine-readable forms, allowed only where machines read them.
MACHINE_FORMATS = {"c", "Y-m-d"}
MACHINE_ATTRIBUTES = {"datetime", "content"}


def template_files():
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(path for folder in folders for path in folder.rglob("*") if path.suffix in {".html", ".txt"})


def test_templates_write_dates_only_in_the_locale_formats():
    files = template_files()
    assert any(path.name == "news_page.html" for path in files), "the scan finds the app templates"
    wrong = []
    for path in files:
        for attribute, _, date_format in DATE_FILTER.findall(path.read_text()):
            if date_format in NAMED_FORMATS or (date_format in MACHINE_FORMATS and attribute in MACHINE_ATTRIBUTES):
                continue
            wrong.append(f"{path.relative_to(ROOT)}: date:{date_format!r}")
    assert not wrong, "use date:'DATE_FORMAT' (Django's nb/nn formats) instead of:\n" + "\n".join(wrong)
