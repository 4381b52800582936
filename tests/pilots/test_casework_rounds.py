"""Editing a round in the admin keeps its deadlines to the second, in Norwegian time."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from pilots.models import Round
from tests.factories.pilots import RoundFactory
from tests.factories.policy import StaffUserFactory

UTC = datetime.UTC


class FormValues(HTMLParser):
    """The values a browser would post back from the page's form with `form_id`."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.values, self.select, self.textarea = form_id, False, {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id or self.inside
        if not self.inside:
            return
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.values[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.values[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.values[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data.lstrip("\n")


def edit_url(round):
    return reverse("wagtailsnippets_pilots_round:edit", args=[round.pk])


@pytest.fixture
def editor(client, db):
    client.force_login(StaffUserFactory(is_superuser=True))
    return client


@pytest.fixture
def deadline_round(db):
    # 30 September 2026, 23:59:59 in Oslo (summer time) is 21:59:59 UTC.
    closes = datetime.datetime(2026, 9, 30, 21, 59, 59, tzinfo=UTC)
    return RoundFactory(
        name="Bygdevekst 2026",
        opens_at=datetime.datetime(2026, 6, 1, 6, 0, tzinfo=UTC),
        closes_at=closes,
        supplement_deadline=datetime.datetime(2026, 10, 21, 21, 59, 59, tzinfo=UTC),
    )


def test_the_form_shows_seconds_in_oslo_time(editor, deadline_round):
    page = editor.get(edit_url(deadline_round))
    assert page.status_code == 200
    assert 'value="30.09.2026 23:59:59"' in page.text
    assert 'value="21.10.2026 23:59:59"' in page.text
    assert 'value="01.06.2026 08:00:00"' in page.text


def test_saving_an_unchanged_round_keeps_its_seconds(editor, deadline_round):
    parser = FormValues("w-editor-form")
    parser.feed(editor.get(edit_url(deadline_round)).text)
    assert parser.values["closes_at"] == "30.09.2026 23:59:59"
    response = editor.post(edit_url(deadline_round), parser.values)
    assert response.status_code == 302, response.text[:2000]
    deadline_round.refresh_from_db()
    assert deadline_round.closes_at == datetime.datetime(2026, 9, 30, 21, 59, 59, tzinfo=UTC)
    assert deadline_round.supplement_deadline == datetime.datetime(2026, 10, 21, 21, 59, 59, tzinfo=UTC)


def test_a_typed_deadline_is_stored_to_the_second(editor, deadline_round):
    parser = FormValues("w-editor-form")
    parser.feed(editor.get(edit_url(deadline_round)).text)
    data = {**parser.values, "closes_at": "01.10.2026 23:59:59", "supplement_deadline": "15.10.2026 12:00"}
    assert editor.post(edit_url(deadline_round), data).status_code == 302
    deadline_round.refresh_from_db()
    assert deadline_round.closes_at == datetime.datetime(2026, 10, 1, 21, 59, 59, tzinfo=UTC)
    assert deadline_round.supplement_deadline == datetime.datetime(2026, 10, 15, 10, 0, tzinfo=UTC)

    data["closes_at"] = "30.09.2026 23:59:59"
    assert editor.post(edit_url(deadline_round), data).status_code == 302
    assert Round.objects.get(pk=deadline_round.pk).closes_at == datetime.datetime(2026, 9, 30, 21, 59, 59, tzinfo=UTC)


def test_a_malformed_deadline_is_refused_with_a_message(editor, deadline_round):
    parser = FormValues("w-editor-form")
    parser.feed(editor.get(edit_url(deadline_round)).text)
    response = editor.post(edit_url(deadline_round), {**parser.values, "closes_at": "31.09.2026 25:00"})
    assert response.status_code == 200
    assert "Oppgi gyldig dato og tidspunkt." in response.text
    assert 'value="31.09.2026 25:00"' in response.text  # what was typed is kept
    deadline_round.refresh_from_db()
    assert deadline_round.closes_at == datetime.datetime(2026, 9, 30, 21, 59, 59, tzinfo=UTC)


def test_the_rounds_export_is_in_oslo_time(editor, deadline_round):
    response = editor.get(reverse("wagtailsnippets_pilots_round:list") + "?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    row = next(line for line in text.splitlines() if line.startswith("Bygdevekst 2026;"))
    assert "01.06.2026 08:00:00;30.09.2026 23:59:59;21.10.2026 23:59:59" in row
