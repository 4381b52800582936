"""The register as loaded from ../shared/data, and the eligibility rule over real classes."""

import datetime
import io

import pytest
from django.core.management import call_command

from pilots import eligibility
from pilots.models import Centrality, County, Municipality, RoundMunicipalityClaim
from pilots.reference import load_from_csv
from tests.pilots.conftest import (
    CLASS_1,
    CLASS_3,
    CLASS_4,
    CLASS_4B,
    CLASS_5,
    CLASS_6,
    CLASS_6B,
    complete_application,
    make_round,
    municipality,
)


def test_register_editions_and_centrality(register):
    assert Municipality.objects.valid_on(datetime.date(2022, 9, 30)).count() == 356
    assert Municipality.objects.valid_on(datetime.date(2024, 1, 1)).count() == 357
    assert County.objects.filter(valid_to__isnull=True).count() == 15
    oslo = municipality("0301")
    assert oslo.county.number == "03"
    assert Centrality.objects.get(municipality=oslo, edition="2023").centrality_class == 1
    utsira = Centrality.objects.get(municipality=municipality("1151"), edition="2023")
    assert (utsira.index, utsira.centrality_class) == (293, 6)
    # Bærum was 3024 in Viken until 2023 and is 3201 in Akershus from 2024.
    assert Municipality.objects.valid_on(datetime.date(2022, 1, 1)).get(number="3024").county.name == "Viken"
    assert municipality("3201").county.name == "Akershus"
    kautokeino = municipality("5612")
    assert kautokeino.name_north_sami == "Guovdageaidnu"
    assert kautokeino.county.number == "56"


def test_loading_again_changes_nothing(register, settings):
    before = (Municipality.objects.count(), County.objects.count(), Centrality.objects.count())
    ids = set(Municipality.objects.values_list("pk", flat=True))
    load_from_csv(settings.REFERENCE_DATA_DIR)
    assert (Municipality.objects.count(), County.objects.count(), Centrality.objects.count()) == before
    assert set(Municipality.objects.values_list("pk", flat=True)) == ids


def test_command_without_data_folder_explains_and_succeeds(db, tmp_path):
    out = io.StringIO()
    call_command("load_reference_data", "--dir", str(tmp_path / "missing"), stdout=out)
    assert "Reference data not loaded" in out.getvalue()
    assert "municipalities_2024.csv" in out.getvalue()


# Each row: municipality numbers (lead first), expected overall result, expected per-municipality results.
RULE_2022 = [
    pytest.param([CLASS_6], True, [True], id="class 6 alone"),
    pytest.param([CLASS_5], True, [True], id="class 5 alone"),
    pytest.param([CLASS_6, CLASS_5, CLASS_6B], True, [True, True, True], id="5 and 6 together"),
    pytest.param([CLASS_4], False, [False], id="class 4 alone"),
    pytest.param([CLASS_4, CLASS_4B], False, [False, False], id="two class 4"),
    pytest.param([CLASS_4, CLASS_5], True, [True, True], id="class 4 led, with class 5"),
    pytest.param([CLASS_6, CLASS_4], True, [True, True], id="class 6 with class 4 partner"),
    pytest.param([CLASS_3], False, [False], id="class 3"),
    pytest.param([CLASS_6, CLASS_3], False, [True, False], id="class 6 with class 3"),
    pytest.param([CLASS_1, CLASS_6], False, [False, True], id="Oslo with Utsira"),
]


@pytest.mark.parametrize(("numbers", "ok", "each"), RULE_2022)
def test_rule_of_2022_over_real_classes(register, numbers, ok, each):
    round = make_round()
    result = eligibility.check(round, [municipality(n) for n in numbers])
    assert result.ok is ok
    assert [line.ok for line in result.municipalities] == each
    for line in result.municipalities:
        assert f"Sentralitetsklasse {line.centrality_class}" in line.reason


def test_reason_names_the_rule(register):
    round = make_round()
    result = eligibility.check(round, [municipality(CLASS_4)])
    assert result.municipalities[0].reason == (
        "Sentralitetsklasse 4: kan bare søke sammen med en kommune i klasse 5 eller 6."
    )
    result = eligibility.check(round, [municipality(CLASS_3)])
    assert "utlysingen gjelder kommuner i klasse 4, 5 eller 6" in result.municipalities[0].reason


def test_rule_is_editable_per_round(register):
    wider = make_round(eligible_classes=[4, 5, 6], conditional_classes=[])
    assert eligibility.check(wider, [municipality(CLASS_4)]).ok
    narrow = make_round(eligible_classes=[6], conditional_classes=[5])
    assert not eligibility.check(narrow, [municipality(CLASS_5)]).ok
    assert eligibility.check(narrow, [municipality(CLASS_5), municipality(CLASS_6)]).ok


def test_municipality_without_class_in_the_edition(register):
    round = make_round()
    old_register_oslo = Municipality.objects.valid_on(datetime.date(2022, 1, 1)).get(number="3024")
    result = eligibility.check(round, [old_register_oslo])
    assert not result.ok
    assert "ingen sentralitetsklasse" in result.municipalities[0].reason


def test_municipality_claimed_in_the_round(register, applicant):
    round = make_round()
    other = complete_application(round, applicant, lead=CLASS_6)
    RoundMunicipalityClaim.objects.create(round=round, municipality=municipality(CLASS_6), application=other)
    result = eligibility.check(round, [municipality(CLASS_6)])
    assert not result.ok
    assert "allerede med i en annen søknad" in result.municipalities[0].reason
    assert eligibility.check(round, [municipality(CLASS_6)], exclude_application=other).ok
