"""The register as loaded from settings.REFERENCE_DATA_DIR (pilots/register/data), a new SSB
centrality edition loaded by the command, and the eligibility rule over real classes."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

import pilots.register
from pilots.models import Centrality, County, Municipality, RoundMunicipalityClaim
from pilots.register import eligibility
from pilots.register.reference import CENTRALITY_FILES, EDITIONS, load_from_csv
from tests.factories.pilots import (
    CLASS_1,
    CLASS_3,
    CLASS_4,
    CLASS_4B,
    CLASS_5,
    CLASS_6,
    CLASS_6B,
    ApplicationFactory,
    RoundFactory,
    municipality,
)


def test_the_register_files_are_committed_with_the_app():
    folder = Path(pilots.register.__file__).parent / "data"
    needed = [e.municipalities_file for e in EDITIONS] + [e.counties_file for e in EDITIONS]
    needed += [name for name, _, _ in CENTRALITY_FILES]
    assert [name for name in needed if not (folder / name).is_file()] == []


def test_register_editions_and_centrality(db):
    # The session loaded the register already: empty it (inside this test's
    # transaction) so what is asserted below comes from this load.
    Centrality.objects.all().delete()
    Municipality.objects.all().delete()
    County.objects.all().delete()
    out = io.StringIO()
    load_from_csv(settings.REFERENCE_DATA_DIR, out)
    assert "Register from 2024-01-01: 15 counties, 357 municipalities" in out.getvalue()

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


def test_loading_again_changes_nothing(db):
    before = (Municipality.objects.count(), County.objects.count(), Centrality.objects.count())
    ids = set(Municipality.objects.values_list("pk", flat=True))
    load_from_csv(settings.REFERENCE_DATA_DIR)
    assert (Municipality.objects.count(), County.objects.count(), Centrality.objects.count()) == before
    assert set(Municipality.objects.values_list("pk", flat=True)) == ids


def write_edition(path, changes):
    """A 2025 file for every 2024 municipality: the 2023 values, with `changes` {number: (index, class)}."""
    lines = ["municipality_number,centrality_index_2025,centrality_class_2025"]
    for number, index, centrality_class in Centrality.objects.filter(edition="2023").values_list(
        "municipality__number", "index", "centrality_class"
    ):
        index, centrality_class = changes.get(number, (index, centrality_class))
        lines.append(f"{number},{index},{centrality_class}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def test_command_loads_a_new_centrality_edition_onto_the_2024_register(db, tmp_path):
    new_edition = tmp_path / "sentralitet_2025.csv"
    # Utsira moves up a class, Eigersund down two.
    rows = write_edition(new_edition, {CLASS_6: (610, 5), CLASS_4: (480, 6)})
    out = io.StringIO()
    call_command("load_reference_data", "--centrality", str(new_edition), "--edition", "2025", stdout=out)
    assert f"Centrality 2025: {rows} municipalities" in out.getvalue()
    assert "Reference data loaded." in out.getvalue()

    utsira = Centrality.objects.get(municipality__number=CLASS_6, edition="2025")
    assert (utsira.index, utsira.centrality_class) == (610, 5)
    assert utsira.municipality.valid_from == datetime.date(2024, 1, 1)
    assert (
        Centrality.objects.filter(edition="2025").count()
        == rows
        == Municipality.objects.valid_on(datetime.date(2026, 1, 1)).count()
    )
    # The 2023 edition is left as it was.
    assert Centrality.objects.get(municipality=municipality(CLASS_6), edition="2023").centrality_class == 6

    # A round set to the new edition judges by it; one on 2023 does not.
    only_class_6 = {"eligible_classes": [6], "conditional_classes": []}
    round_2025 = RoundFactory(centrality_edition="2025", **only_class_6)
    round_2023 = RoundFactory(centrality_edition="2023", **only_class_6)
    assert eligibility.check(round_2025, [municipality(CLASS_4)]).ok
    assert not eligibility.check(round_2025, [municipality(CLASS_6)]).ok
    assert eligibility.check(round_2023, [municipality(CLASS_6)]).ok

    # Loading the same file again changes nothing; without --edition the command refuses.
    call_command("load_reference_data", "--centrality", str(new_edition), "--edition", "2025", stdout=io.StringIO())
    assert Centrality.objects.filter(edition="2025").count() == rows
    with pytest.raises(CommandError, match="--edition"):
        call_command("load_reference_data", "--centrality", str(new_edition), stdout=io.StringIO())


def test_a_centrality_file_that_leaves_out_municipalities_is_refused(db, tmp_path):
    partial = tmp_path / "sentralitet_2025.csv"
    partial.write_text("municipality_number,centrality_index_2025,centrality_class_2025\n0301,1000,1\n")
    with pytest.raises(CommandError, match="leaves out 356 of the 357 municipalities"):
        call_command("load_reference_data", "--centrality", str(partial), "--edition", "2025", stdout=io.StringIO())
    assert not Centrality.objects.filter(edition="2025").exists()


def test_command_fails_when_the_data_folder_is_missing(db, tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError, match="Reference data not loaded") as error:
        call_command("load_reference_data", "--dir", str(tmp_path / "missing"), stdout=out)
    assert "municipalities_2024.csv" in str(error.value)
    assert "Reference data loaded." not in out.getvalue()


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


@pytest.fixture
def round_2022_rule(db):
    """The published rule of 2022, spelt out rather than left to the model's defaults."""
    return RoundFactory(centrality_edition="2023", eligible_classes=[5, 6], conditional_classes=[4])


@pytest.mark.parametrize(("numbers", "ok", "each"), RULE_2022)
def test_rule_of_2022_over_real_classes(round_2022_rule, numbers, ok, each):
    result = eligibility.check(round_2022_rule, [municipality(n) for n in numbers])
    assert result.ok is ok
    assert [line.ok for line in result.municipalities] == each
    for line in result.municipalities:
        assert f"Sentralitetsklasse {line.centrality_class}" in line.reason


def test_reason_names_the_rule(round_2022_rule):
    result = eligibility.check(round_2022_rule, [municipality(CLASS_4)])
    assert result.municipalities[0].reason == (
        "Sentralitetsklasse 4: kan bare søke sammen med en kommune i klasse 5 eller 6."
    )
    result = eligibility.check(round_2022_rule, [municipality(CLASS_3)])
    assert "utlysingen gjelder kommuner i klasse 4, 5 eller 6" in result.municipalities[0].reason


def test_rule_is_editable_per_round(db):
    wider = RoundFactory(eligible_classes=[4, 5, 6], conditional_classes=[])
    assert eligibility.check(wider, [municipality(CLASS_4)]).ok
    narrow = RoundFactory(eligible_classes=[6], conditional_classes=[5])
    assert not eligibility.check(narrow, [municipality(CLASS_5)]).ok
    assert eligibility.check(narrow, [municipality(CLASS_5), municipality(CLASS_6)]).ok


def test_municipality_without_class_in_the_edition(round_2022_rule):
    baerum_2022 = Municipality.objects.valid_on(datetime.date(2022, 1, 1)).get(number="3024")
    result = eligibility.check(round_2022_rule, [baerum_2022])
    assert not result.ok
    assert "ingen sentralitetsklasse" in result.municipalities[0].reason


def test_municipality_claimed_in_the_round(round_2022_rule, applicant):
    other = ApplicationFactory(round=round_2022_rule, created_by=applicant, municipalities=[CLASS_6])
    RoundMunicipalityClaim.objects.create(round=round_2022_rule, municipality=municipality(CLASS_6), application=other)
    utsira = municipality(CLASS_6)
    result = eligibility.check(round_2022_rule, [utsira], authorised_for={utsira.pk})
    assert not result.ok
    assert "allerede med i en annen søknad" in result.municipalities[0].reason
    assert eligibility.check(round_2022_rule, [utsira], exclude_application=other, authorised_for={utsira.pk}).ok
    # Someone not established to act for Utsira is not told (tests/pilots/test_authority.py).
    assert eligibility.check(round_2022_rule, [utsira]).ok
