"""Reading CSV and XLSX files into rows for the data table block.

Parsed tables are cached by the file's hash, so a page view does not parse the
file again; a new upload has a new hash and therefore a fresh entry.
"""

import csv
import io
import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import formats

logger = logging.getLogger(__name__)

MAX_ROWS = 2000
MAX_COLUMNS = 60
MAX_FILE_BYTES = 20 * 1024 * 1024
CACHE_SECONDS = 60 * 60 * 24 * 30


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)
    truncated: bool = False
    problem: str = ""


def read_table(document):
    """The rows of a Wagtail document (CSV or XLSX), at most MAX_ROWS of them."""
    key = f"documents:table:v1:{document.get_file_hash()}:{MAX_ROWS}"
    cached = cache.get(key)
    if cached is not None:
        return Table(**cached)
    table = _parse(document)
    if not table.problem:
        cache.set(key, table.__dict__, CACHE_SECONDS)
    return table


def _parse(document):
    extension = document.file_extension.lower()
    try:
        if document.get_file_size() > MAX_FILE_BYTES:
            return Table(problem="Fila er for stor til å vises som tabell.")
        with document.file.open("rb") as f:
            data = f.read()
        if extension == "csv":
            rows = parse_csv(data)
        elif extension == "xlsx":
            rows = parse_xlsx(data)
        else:
            return Table(problem="Bare CSV- og XLSX-filer kan vises som tabell.")
    except Exception:  # a broken upload must never break the page
        logger.exception("Could not read table from document %s", document.pk)
        return Table(problem="Tabellen kunne ikke leses.")
    truncated = len(rows) > MAX_ROWS
    return Table(rows=rows[:MAX_ROWS], truncated=truncated)


def parse_csv(data):
    text = data.decode("utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for row in csv.reader(io.StringIO(text), dialect):
        if any(cell.strip() for cell in row):
            rows.append([cell.strip() for cell in row[:MAX_COLUMNS]])
        if len(rows) > MAX_ROWS:
            break
    return rows


def parse_xlsx(data):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.active
        rows = []
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            row = [format_cell(v) for v in values]
            while row and not row[-1]:
                row.pop()  # read-only sheets often report more columns than are used
            if row:
                rows.append(row)
            if len(rows) > MAX_ROWS:
                break
        width = max((len(row) for row in rows), default=0)
        return [row + [""] * (width - len(row)) for row in rows]
    finally:
        workbook.close()


def format_cell(value):
    """A cell as Norwegian text: decimal comma, whole numbers without a decimal part."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(round(value, 6)).replace(".", ",")
    if hasattr(value, "strftime"):
        # Compact in a table column: the locale's short form (nb/nn: 06.10.2022).
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value).strip()
