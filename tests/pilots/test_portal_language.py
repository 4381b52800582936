"""The application portal in the applicant's language: bokmål by default, nynorsk or
English once chosen with the portal's language choice (Django's set_language view,
kept in the language cookie), and only in the portal: a public page keeps its own
målform whatever was chosen there."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon
from tests.factories.pilots import ApplicationFactory
from tests.pilots.conftest import oslo

CHOOSE = reverse("pilots:set_language")
SCRIPT_WORDS = reverse("pilots:javascript_catalog")


@pytest.fixture
def draft(applicant, open_round):
    open_round.closes_at = oslo(2099, 9, 30, 23, 59, 59)
    open_round.save()
    return ApplicationFactory(round=open_round, created_by=applicant, title="Fjellbygd")


@pytest.fixture
def signed_in(client, applicant):
    client.force_login(applicant)
    return client


def task_list_url(application):
    return reverse("pilots:task_list", args=[application.round_id, application.pk])


def question_url(application, slug="kontaktperson"):
    return reverse("pilots:section", args=[application.round_id, application.pk, slug])


def choose(client, language, next_url):
    """Press the language's button in the portal's language choice."""
    response = client.post(CHOOSE, {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def test_the_portal_speaks_bokmal_and_offers_the_other_languages(signed_in, draft):
    html = signed_in.get(task_list_url(draft)).text

    assert '<html lang="nb"' in html
    assert "<title>Oppgaveliste - " in html
    assert "Kan kommunene søke?" in html  # the first section's title
    assert f'action="{CHOOSE}"' in html and 'name="csrfmiddlewaretoken"' in html
    assert 'value="nn" lang="nn">Norsk (nynorsk)</button>' in html
    assert 'value="en" lang="en">English</button>' in html
    assert 'lang="nb" aria-current="true">Norsk (bokmål)</span>' in html


def test_an_applicant_who_chooses_nynorsk_gets_the_portal_in_nynorsk(signed_in, draft):
    choose(signed_in, "nn", task_list_url(draft))

    response = signed_in.get(task_list_url(draft))
    html = response.text
    assert response["Content-Language"] == "nn"
    assert '<html lang="nn"' in html
    assert "<title>Oppgåveliste - " in html
    assert "Kan kommunane søkje?" in html and "Kan kommunene søke?" not in html
    assert "30. september 2099 kl. 23.59" in html  # Django's nynorsk date format
    assert "Hopp til hovudinnhaldet" in html  # the site's own header, from locale/nn
    assert 'lang="nn" aria-current="true">Norsk (nynorsk)</span>' in html

    html = signed_in.get(question_url(draft)).text
    assert '<html lang="nn"' in html
    assert ">Namn<" in html and "Lagre og hald fram" in html
    assert "Lagre og fortsett" not in html

    # The scripts' words (the character counter, autosave) come from the same choice.
    assert f'<script src="{SCRIPT_WORDS}" defer></script>' in html
    words = signed_in.get(SCRIPT_WORDS).text
    assert '"Du har %s tegn igjen": "Du har %s teikn att"' in words


def test_an_applicant_who_chooses_english_gets_the_portal_in_english(signed_in, draft):
    choose(signed_in, "en", question_url(draft))

    html = signed_in.get(question_url(draft)).text
    assert '<html lang="en"' in html
    assert "<title>Contact person - " in html
    assert ">Name<" in html and ">Job title<" in html
    assert "Save and continue" in html and "Save and return to the task list" in html

    # Bad input: the form's own messages in English too, what was typed kept.
    response = signed_in.post(
        question_url(draft), {"version": draft.version, "name": "Ola", "email": "ola", "action": "continue"}
    )
    html = response.text
    assert response.status_code == 200
    assert "There are 3 errors in the form. Correct them and try again:" in html
    assert "Enter a valid e-mail address, for example name@municipality.no." in html
    assert "Fill in job title." in html
    assert 'value="Ola"' in html

    assert '"Du har %s tegn igjen": "You have %s characters remaining"' in signed_in.get(SCRIPT_WORDS).text

    html = signed_in.get(task_list_url(draft)).text
    assert "<title>Task list - " in html
    assert "Can the municipalities apply?" in html
    assert "Sept. 30, 2099 at 23:59" in html


def test_mail_asked_for_in_nynorsk_is_written_in_nynorsk(client, db, django_capture_on_commit_callbacks):
    sign_in = reverse("pilots:sign_in")
    choose(client, "nn", sign_in)
    assert '<html lang="nn"' in client.get(sign_in).text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(sign_in, {"email": "ola@kommune.example", "neste": ""})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Lenkje for å logge inn – søknad om bygdevekstavtale"
    assert "Bruk denne lenkja for å logge inn og søkje om bygdevekstavtale:" in mail.outbox[0].body


def test_a_public_page_keeps_its_own_malform_whatever_the_portal_speaks(client, home, draft):
    archive = NewsIndexPageFactory(parent=home)
    item = NewsPageFactory(parent=archive, title="Nytt tilskudd", date=at_noon(2025, 3, 4))
    choose(client, "en", reverse("pilots:sign_in"))

    html = client.get(item.url).text

    assert '<html lang="nb"' in html
    assert "Hopp til hovedinnhold" in html
    assert "Skip to main content" not in html
    assert "4. mars 2025" in html
    assert f'action="{CHOOSE}"' not in html  # the language choice is the portal's own


def test_an_unknown_language_in_the_cookie_leaves_the_portal_in_bokmal(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    html = client.get(reverse("pilots:sign_in")).text

    assert '<html lang="nb"' in html
    assert "Logg inn for å søke" in html
