"""Loading the municipality register, counties and SSB centrality.

A *source* yields plain records; the loader upserts them in bulk. Today the
records come from the CSV files in pilots/register/data (see SOURCES.md there). In
production the same loader can be fed from SSB's KLASS API instead:

    klass_municipalities(classification_id=131, date="2024-01-01") -> Iterable[MunicipalityRecord]
        GET https://data.ssb.no/api/klass/v1/classifications/131/codesAt?date=2024-01-01
        (JSON: classificationItems[].code / .name; county = first two digits of code)
    klass_centrality(classification_id=128, date="2024-01-01", edition="2023") -> Iterable[CentralityRecord]
        the 131→128 correspondence valid on that date

Those two functions only need to return the records below; nothing else changes.
Records are always joined on the municipality number, never the name.
"""

import csv
import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import transaction

from .models import Centrality, County, Municipality


@dataclass(frozen=True)
class Edition:
    """One edition of the register and the files it comes from."""

    valid_from: datetime.date
    valid_to: datetime.date | None
    municipalities_file: str
    counties_file: str


# The register in force 2020–2023 and the one from 1 January 2024 (still current).
EDITIONS = [
    Edition(datetime.date(2020, 1, 1), datetime.date(2023, 12, 31), "municipalities_2022.csv", "counties_2022.csv"),
    Edition(datetime.date(2024, 1, 1), None, "municipalities_2024.csv", "counties_2024.csv"),
]
# SSB's 2023 centrality index, published for the 2024 municipalities.
CENTRALITY_FILES = [("centrality_ssb_2023_municipalities_2024.csv", "2023", datetime.date(2024, 1, 1))]


# A record's fields are named as the model's, so the loader passes them on as they are.
@dataclass(frozen=True)
class CountyRecord:
    number: str
    name: str
    name_full: str


@dataclass(frozen=True)
class MunicipalityRecord:
    number: str
    name: str
    name_full: str
    name_north_sami: str
    name_lule_sami: str
    name_south_sami: str
    name_kven: str
    county_number: str


@dataclass(frozen=True)
class CentralityRecord:
    municipality_number: str
    index: int
    centrality_class: int


# --- CSV source ---------------------------------------------------------------------


def _rows(path: Path):
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def csv_counties(path: Path) -> Iterable[CountyRecord]:
    for row in _rows(path):
        yield CountyRecord(row["county_number"], row["county_name"], row.get("county_name_full") or "")


def csv_municipalities(path: Path) -> Iterable[MunicipalityRecord]:
    for row in _rows(path):
        yield MunicipalityRecord(
            number=row["municipality_number"],
            name=row["municipality_name"],
            name_full=row["municipality_name_full"],
            name_north_sami=row["name_north_sami"],
            name_lule_sami=row["name_lule_sami"],
            name_south_sami=row["name_south_sami"],
            name_kven=row["name_kven"],
            county_number=row["county_number"],
        )


def csv_centrality(path: Path, edition: str) -> Iterable[CentralityRecord]:
    for row in _rows(path):
        yield CentralityRecord(
            municipality_number=row["municipality_number"],
            index=int(row[f"centrality_index_{edition}"]),
            centrality_class=int(row[f"centrality_class_{edition}"]),
        )


# --- Loader -------------------------------------------------------------------------


class MissingReferenceData(Exception):
    pass


def _check_number(number, width):
    if len(number) != width or not number.isdigit():
        raise ValueError(f"Expected a {width}-digit number with leading zeros, got {number!r}")


def _upsert_rows(model, edition: Edition, rows: list[dict], digits: int):
    """Create or update one edition's rows of County or Municipality (`rows`: each
    row's fields but the dates) in one bulk upsert keyed on number and start date,
    which updates every other field but those staff keep (`STAFF_FIELDS`); returns the count."""
    for row in rows:
        _check_number(row["number"], digits)
    key = ["number", "valid_from"]
    model.objects.bulk_create(
        [model(**row, valid_from=edition.valid_from, valid_to=edition.valid_to) for row in rows],
        update_conflicts=True,
        unique_fields=key,
        update_fields=[
            field.name
            for field in model._meta.concrete_fields
            if not field.primary_key and field.name not in key and field.name not in getattr(model, "STAFF_FIELDS", ())
        ],
    )
    return len(rows)


def upsert_edition(edition: Edition, counties: Iterable[CountyRecord], municipalities: Iterable[MunicipalityRecord]):
    """Create or update one register edition in two bulk upserts; returns the counts."""
    county_count = _upsert_rows(County, edition, [asdict(record) for record in counties], digits=2)
    county_ids = dict(County.objects.filter(valid_from=edition.valid_from).values_list("number", "pk"))
    municipality_rows = []
    for record in municipalities:
        row = asdict(record)
        row["county_id"] = county_ids[row.pop("county_number")]
        municipality_rows.append(row)
    return county_count, _upsert_rows(Municipality, edition, municipality_rows, digits=4)


def upsert_centrality(edition: str, register_valid_from: datetime.date, records: Iterable[CentralityRecord]):
    """Attach centrality to the register edition it was published for (joined on number)."""
    municipality_ids = dict(Municipality.objects.filter(valid_from=register_valid_from).values_list("number", "pk"))
    rows = []
    for record in records:
        if record.municipality_number not in municipality_ids:
            raise ValueError(f"Centrality for unknown municipality number {record.municipality_number}")
        if not 1 <= record.centrality_class <= 6:
            raise ValueError(f"Centrality class out of range for {record.municipality_number}")
        rows.append(
            Centrality(
                municipality_id=municipality_ids[record.municipality_number],
                edition=edition,
                index=record.index,
                centrality_class=record.centrality_class,
            )
        )
    missing = len(municipality_ids) - len({row.municipality_id for row in rows})
    if missing:
        # A round on a partial edition would refuse every municipality left out.
        raise ValueError(f"The centrality file leaves out {missing} of the {len(municipality_ids)} municipalities")
    Centrality.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["municipality", "edition"],
        update_fields=["index", "centrality_class"],
    )
    return len(rows)


def load_from_csv(directory: Path, stdout=None):
    """Load every edition and the centrality from `directory`. Safe to run again."""
    directory = Path(directory)
    needed = [e.municipalities_file for e in EDITIONS] + [e.counties_file for e in EDITIONS]
    needed += [name for name, _, _ in CENTRALITY_FILES]
    missing = [name for name in needed if not (directory / name).is_file()]
    if missing:
        raise MissingReferenceData(f"Missing in {directory}: {', '.join(missing)}")
    with transaction.atomic():
        for edition in EDITIONS:
            counties, municipalities = upsert_edition(
                edition,
                csv_counties(directory / edition.counties_file),
                csv_municipalities(directory / edition.municipalities_file),
            )
            if stdout:
                stdout.write(
                    f"Register from {edition.valid_from}: {counties} counties, {municipalities} municipalities"
                )
        for name, edition_name, register_valid_from in CENTRALITY_FILES:
            count = upsert_centrality(edition_name, register_valid_from, csv_centrality(directory / name, edition_name))
            if stdout:
                stdout.write(f"Centrality {edition_name}: {count} municipalities")


def load_centrality_csv(path: Path, edition: str, register_valid_from: datetime.date, stdout=None):
    """Load a new SSB centrality edition (columns `centrality_index_<edition>` and
    `centrality_class_<edition>`, as in the committed file) onto one register edition."""
    path = Path(path)
    if not path.is_file():
        raise MissingReferenceData(f"No such file: {path}")
    with transaction.atomic():
        count = upsert_centrality(edition, register_valid_from, csv_centrality(path, edition))
    if stdout:
        stdout.write(f"Centrality {edition}: {count} municipalities")
    return count
