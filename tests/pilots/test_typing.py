"""Nothing typed is lost, over real HTTP: a conflict between two editors shows both
values and lets the person choose (a second save never silently restores the old
value), autosave saves every valid field and names the malformed one, and an
over-long answer is refused with how much too long it is, keeping the text."""

import html
import re

import pytest
from django.urls import reverse

from pilots.models import Application
from tests.factories.pilots import CLASS_6, ApplicationFactory
from tests.factories.portal import MemberFactory

AUTOSAVE = {"X-Autosave": "1"}


def section_url(application, slug):
    return reverse("pilots:section", args=[application.round_id, application.pk, slug])


def project(application, **changes):
    fields = {
        "version": application.version,
        "title": application.title,
        "summary": application.summary,
        "challenges": application.challenges,
        "themes": application.themes,
        "measures": application.measures,
        "transfer_value": application.transfer_value,
        "organisation": application.organisation,
        "council_decision": application.council_decision,
        "council_decision_date": "",
        "action": "return",
    }
    return {**fields, **changes}


@pytest.fixture
def draft(open_round, applicant):
    return ApplicationFactory(round=open_round, created_by=applicant, themes="Bolig", municipalities=[CLASS_6])


@pytest.fixture
def colleague(draft):
    return MemberFactory(application=draft).user


def loaded_form(client, application, slug="prosjektet", **changes):
    """The form as the page renders it: the values and the baseline it was loaded with."""
    page = client.get(section_url(application, slug))
    baseline = html.unescape(re.search(r'name="baseline" value="([^"]*)"', page.text).group(1))
    return {**project(application, **changes), "baseline": baseline}


def stored(application):
    return Application.objects.get(pk=application.pk)


def test_conflict_shows_both_values_and_the_chosen_one_is_kept(client, draft, colleague):
    url = section_url(draft, "prosjektet")
    loaded = project(draft)  # both open the page at the same version

    client.force_login(colleague)
    assert client.post(url, {**loaded, "themes": "Kollegaens tema"}).status_code == 302

    client.force_login(draft.created_by)
    page = client.post(url, {**loaded, "themes": "Mitt tema"})
    assert page.status_code == 200
    assert "Noen andre har endret 1 felt mens du skrev" in page.text
    assert re.search(r"Behold det som er lagret nå: <span[^>]*>Kollegaens tema</span>", page.text)
    assert re.search(r"Behold det du skrev: <span[^>]*>Mitt tema</span>", page.text)
    assert 'name="conflict_fields" value="themes"' in page.text
    assert "Mitt tema</textarea>" in page.text  # what I typed is still in the field
    assert stored(draft).themes == "Kollegaens tema"
    current = stored(draft).version
    assert f'name="version" value="{current}"' in page.text

    # Saving again without choosing never puts my old form over the colleague's value.
    again = {**loaded, "version": current, "themes": "Mitt tema", "conflict_fields": "themes"}
    refused = client.post(url, again)
    assert refused.status_code == 200 and "Velg hvilken verdi du vil beholde for «Tema»." in refused.text
    assert stored(draft).themes == "Kollegaens tema"

    # Keeping what is saved: the colleague's value stays although my field still said mine.
    assert client.post(url, {**again, "keep_themes": "lagret"}).status_code == 302
    assert stored(draft).themes == "Kollegaens tema"


def test_choosing_my_value_after_a_conflict_saves_it_and_merges_the_rest(client, draft, colleague):
    url = section_url(draft, "prosjektet")
    client.force_login(draft.created_by)
    mine = loaded_form(client, draft)
    client.force_login(colleague)
    theirs = loaded_form(client, draft)
    client.post(url, {**theirs, "themes": "Kollegaens tema", "title": "Kollegaens tittel"})

    client.force_login(draft.created_by)
    page = client.post(url, {**mine, "themes": "Mitt tema", "measures": "Mine tiltak"})
    # Only «Tema» was changed by both; the title only by the colleague, the measures only by me.
    assert 'name="conflict_fields" value="themes"' in page.text
    assert 'value="Kollegaens tittel"' in page.text and "Mine tiltak</textarea>" in page.text
    again = html.unescape(re.search(r'name="baseline" value="([^"]*)"', page.text).group(1))
    response = client.post(
        url,
        {
            **mine,
            "version": stored(draft).version,
            "baseline": again,
            "title": "Kollegaens tittel",
            "themes": "Mitt tema, litt endret",
            "measures": "Mine tiltak",
            "conflict_fields": "themes",
            "keep_themes": "min",
        },
    )
    assert response.status_code == 302
    saved = stored(draft)
    assert (saved.themes, saved.title, saved.measures) == ("Mitt tema, litt endret", "Kollegaens tittel", "Mine tiltak")


def test_a_field_only_the_other_person_changed_is_never_restored(client, draft, colleague):
    url = section_url(draft, "prosjektet")
    client.force_login(draft.created_by)
    mine = loaded_form(client, draft)
    client.force_login(colleague)
    client.post(url, {**loaded_form(client, draft), "themes": "Kollegaens tema"})
    client.force_login(draft.created_by)
    assert client.post(url, {**mine, "title": "Min tittel"}).status_code == 302
    saved = stored(draft)
    assert saved.themes == "Kollegaens tema" and saved.title == "Min tittel"


def test_a_save_on_another_page_is_no_conflict_here(client, draft, colleague):
    client.force_login(draft.created_by)
    mine = loaded_form(client, draft)
    client.force_login(colleague)
    contact = {"version": draft.version, "name": "Kari", "role": "Leder", "email": "kari@kommune.example"}
    response = client.post(section_url(draft, "kontaktperson"), {**contact, "phone": "22 22 22 22", "action": "return"})
    assert response.status_code == 302
    client.force_login(draft.created_by)
    response = client.post(section_url(draft, "prosjektet"), {**mine, "themes": "Mitt tema"})
    assert response.status_code == 302
    assert stored(draft).themes == "Mitt tema" and stored(draft).contact.name == "Kari"


def test_autosave_conflict_names_the_fields_with_both_values(client, draft, colleague):
    url = section_url(draft, "prosjektet")
    loaded = project(draft, action="autosave")
    client.force_login(colleague)
    client.post(url, {**loaded, "themes": "Kollegaens tema"}, headers=AUTOSAVE)
    client.force_login(draft.created_by)
    response = client.post(url, {**loaded, "themes": "Mitt tema"}, headers=AUTOSAVE)
    assert response.status_code == 409 and response.json()["conflict"] is True
    assert response.json()["fields"] == [{"label": "Tema", "theirs": "Kollegaens tema", "mine": "Mitt tema"}]
    assert stored(draft).themes == "Kollegaens tema"


def test_autosave_saves_every_valid_field_and_names_the_malformed_one(client, draft):
    client.force_login(draft.created_by)
    response = client.post(
        section_url(draft, "prosjektet"),
        project(
            draft, action="autosave", title="Ny tittel", themes="Bolig, næring", council_decision_date="31.02.2027"
        ),
        headers=AUTOSAVE,
    )
    assert response.status_code == 200
    result = response.json()
    assert result["saved"] is True
    assert result["invalid"] == [
        {
            "id": "id_council_decision_date",
            "label": "Dato for vedtaket",
            "message": "Skriv datoen som dag.måned.år, for eksempel 20.10.2022.",
        }
    ]
    saved = stored(draft)
    assert saved.title == "Ny tittel" and saved.themes == "Bolig, næring"
    assert saved.council_decision_date is None and saved.version == result["version"]


def test_autosave_never_empties_or_cuts_an_over_long_answer(client, draft):
    client.force_login(draft.created_by)
    before = draft.summary
    response = client.post(
        section_url(draft, "prosjektet"),
        project(draft, action="autosave", summary="s" * 620, themes="Bolig og kompetanse"),
        headers=AUTOSAVE,
    )
    invalid = response.json()["invalid"]
    assert [(field["label"], field["message"]) for field in invalid] == [
        ("Kort sammendrag", "Kort sammendrag kan ha høyst 500 tegn. Du har 120 tegn for mye.")
    ]
    saved = stored(draft)
    assert saved.summary == before and saved.themes == "Bolig og kompetanse"


def test_autosave_with_a_malformed_budget_line_keeps_the_saved_lines(client, draft):
    client.force_login(draft.created_by)
    response = client.post(
        section_url(draft, "budsjett"),
        {
            "version": draft.version,
            "line_count": "3",
            "amount_applied": "1600000",
            "own_contribution": "500000",
            "line_1_description": "Prosjektleder",
            "line_1_amount": "1 2OO OOO",
            "line_2_description": "Tiltak",
            "line_2_amount": "800000",
            "action": "autosave",
        },
        headers=AUTOSAVE,
    )
    assert [field["id"] for field in response.json()["invalid"]] == ["id_line_1_amount"]
    saved = stored(draft)
    assert saved.amount_applied == 1_600_000
    assert [(line.description, line.amount) for line in saved.budget_lines.all()] == [
        ("Prosjektleder", 1_200_000),
        ("Tiltak", 800_000),
    ]


def test_over_long_summary_is_refused_with_the_text_kept_and_never_cut(client, draft):
    client.force_login(draft.created_by)
    url = section_url(draft, "prosjektet")
    form = client.get(url)
    assert "maxlength" not in re.search(r"<textarea[^>]*name=\"summary\"[^>]*>", form.text).group(0)
    assert "Du kan skrive inntil 500 tegn." in form.text
    text = "Et langt sammendrag. " * 29 + "Slutt på teksten."  # 626 characters
    page = client.post(url, project(draft, summary=text, action="continue"))
    assert page.status_code == 200
    assert f"Kort sammendrag kan ha høyst 500 tegn. Du har {len(text) - 500} tegn for mye." in page.text
    assert 'class="ds-error-summary"' in page.text
    assert f">\n{text}</textarea>" in page.text or f">{text}</textarea>" in page.text
    assert stored(draft).summary == draft.summary


def test_municipality_options_carry_every_name_for_the_picker(client, draft):
    client.force_login(draft.created_by)
    page = client.get(section_url(draft, "kommuner"))
    tana = re.search(r"<option[^>]*data-search=\"([^\"]*)\"[^>]*>Deatnu - Tana \(5628\)</option>", page.text)
    assert tana and "Tana" in tana.group(1) and "Deatnu" in tana.group(1)
    assert "data-municipality-picker" in page.text
