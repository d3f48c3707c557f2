"""The one place that reads CSV/XLSX uploads and writes CSV/XLSX downloads.

Reading is bounded: the file size is checked before anything is parsed, an xlsx's unpacked size
and compression ratio are checked from its zip directory before openpyxl opens it (a zip bomb is
refused), and the row cap is enforced while rows are read, so a sheet with a million rows is
refused after cap + 1 of them. Imports keep and show only the first MAX_REPORTED_ERRORS row
errors (RowErrors), then "and N more errors".

Writing always guards against formula injection: a text cell starting with = + - @, a tab or a
carriage return is written as text. In CSV it gets a leading single quote (the OWASP advice); in
XLSX the cell's type is set to string, so Excel shows it and never evaluates it.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import uploads

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_REPORTED_ERRORS = 100
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Source = bytes | IO[bytes]


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as the user sees it in the file (headings are row 1)
    column: str
    message: str


class RowErrors:
    """The errors of an import, of which only the first `limit` are kept: a file with 10,000
    bad rows costs 100 RowErrors of memory and 100 lines of page, and `total` still counts all
    of them (for "and 9,900 more errors")."""

    def __init__(self, limit: int = MAX_REPORTED_ERRORS):
        self.limit = limit
        self.shown: list[RowError] = []
        self.total = 0

    def append(self, error: RowError) -> None:
        self.total += 1
        if len(self.shown) < self.limit:
            self.shown.append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)

    @property
    def full(self) -> bool:
        return self.total >= self.limit

    @property
    def more(self) -> int:
        return self.total - len(self.shown)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[RowError]:
        return iter(self.shown)


def more_errors_message(count: int) -> str:
    """'and 9,900 more errors' (or '' for none)."""
    if count <= 0:
        return ""
    return f"and {count:,} more error{'s' if count != 1 else ''}"


def cap_messages(messages: list[str], limit: int = MAX_REPORTED_ERRORS) -> list[str]:
    """The first `limit` messages, then 'and N more errors' when there are more."""
    if len(messages) <= limit:
        return messages
    return [*messages[:limit], more_errors_message(len(messages) - limit)]


class ImportRejected(ValidationError):
    """The file has errors, so nothing was saved. `row_errors` lists the first
    MAX_REPORTED_ERRORS of them, `more` counts the rest and `total` all of them."""

    def __init__(self, row_errors: "list[RowError] | RowErrors"):
        if isinstance(row_errors, RowErrors):
            shown, count = list(row_errors.shown), row_errors.total
        else:
            shown, count = list(row_errors[:MAX_REPORTED_ERRORS]), len(row_errors)
        self.row_errors = shown
        self.total = count
        self.more = count - len(shown)
        self.more_message = more_errors_message(self.more)
        super().__init__(
            f"The file has {count:,} error{'s' if count != 1 else ''}, so nothing was imported. "
            "Correct the rows listed and upload it again."
        )


# --- Reading ----------------------------------------------------------------------------------


def read_lists(
    source: Source, *, name: str, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES
) -> list[tuple[int, list[str]]]:
    """The non-blank rows of a .csv or .xlsx file as (row number in the file, [cell text]),
    the first being the headings. Raises ValidationError with a plain message when the file is
    empty, too big, of the wrong kind, damaged, or has more than `max_rows` rows below the
    headings (counted while reading: the rest of the file is never read)."""
    content = _content(source, max_bytes=max_bytes)
    suffix = Path(name or "").suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(content)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(content)
    else:
        raise ValidationError("The selected file must be a CSV or Excel (.xlsx) file")
    table = []
    try:
        for number, row in enumerate(rows, start=1):
            cells = [_cell_text(value) for value in row]
            if not any(cells):
                continue
            if len(table) > max_rows:  # the headings and max_rows rows are already in
                raise ValidationError(
                    f"The file has more than {max_rows} rows. Split it into smaller files"
                )
            table.append((number, cells))
    except csv.Error as exc:
        raise ValidationError(f"The file could not be read as CSV: {exc}") from None
    finally:
        close = getattr(rows, "close", None)
        if close:
            close()
    if not table:
        raise ValidationError("The selected file is empty")
    return table


def read_dicts(
    source: Source,
    *,
    name: str,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
    normalise_header: Callable[[str], str] = str.strip,
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(headings, [(row number in the file, {heading: cell text})]) from a .csv or .xlsx file.
    The first non-blank row names the columns; cells are trimmed and a cell the export guarded
    ('=… back to =…) is read as it was written. Columns without a heading are left out."""
    table = read_lists(source, name=name, max_rows=max_rows, max_bytes=max_bytes)
    headers = [normalise_header(h) for h in table[0][1]]
    if not any(headers):
        raise ValidationError("The first row of the file must name the columns")
    rows = []
    for number, cells in table[1:]:
        values = [unguard(c) for c in cells] + [""] * (len(headers) - len(cells))
        rows.append((number, {h: v for h, v in zip(headers, values, strict=False) if h}))
    return headers, rows


def unguard(value: str) -> str:
    """Trim a cell and undo the export's formula guard, so export → import round-trips."""
    value = value.strip()
    if value[:1] == "'" and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def _content(source: Source, *, max_bytes: int) -> bytes:
    limit = f"{max_bytes // 1024**2} MB" if max_bytes >= 1024**2 else f"{max_bytes // 1024} KB"
    too_big = ValidationError(f"The file must be smaller than {limit}")
    if isinstance(source, bytes):
        content = source
    else:
        if (getattr(source, "size", None) or 0) > max_bytes:
            raise too_big
        if hasattr(source, "seek"):
            source.seek(0)
        content = source.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise too_big
    if not content.strip():
        raise ValidationError("The selected file is empty")
    return content


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    if content.startswith(b"%PDF"):
        raise ValidationError("The file is a PDF, not a CSV file. Save it as CSV or Excel (.xlsx)")
    if content.startswith(b"PK\x03\x04"):
        raise ValidationError(
            "The file is an Excel or other zipped file renamed .csv. Upload it as .xlsx, or save "
            "it as CSV"
        )
    if b"\x00" in content:
        raise ValidationError("The file is not a CSV file. Save it as CSV (UTF-8)")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"The file is not in UTF-8 (byte {exc.start + 1} is not valid). In Excel choose "
            "Save As, then 'CSV UTF-8 (Comma delimited)'"
        ) from None
    return csv.reader(io.StringIO(text))


def _xlsx_rows(content: bytes) -> Iterator[tuple]:
    # From the bytes, before openpyxl parses anything: a real workbook (its content types
    # declare a workbook part that is there), and no zip bomb (the unpacked size and the
    # compression ratio are checked from the zip's directory; raises with its own message).
    if not content.startswith(b"PK\x03\x04") or uploads.zip_kind(content) != "xlsx":
        raise ValidationError("The selected file is not an Excel (.xlsx) file, or it is damaged")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError):
        raise ValidationError(
            "The selected file is not an Excel (.xlsx) file, or it is damaged"
        ) from None

    def rows():
        try:
            yield from sheet.iter_rows(values_only=True)
        finally:
            workbook.close()

    return rows()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- Writing ----------------------------------------------------------------------------------


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A value as it goes into a CSV: None as blank, formula-like text with a leading quote."""
    if isinstance(value, Formatted):
        value = value.value
    if value is None:
        return ""
    if is_formula_like(value):
        return "'" + value
    return value


def write_csv(
    headers: list[str] | None, rows: Iterable[Iterable[Any]], *, bom: bool = True
) -> bytes:
    """A whole CSV file (UTF-8, with a byte-order mark unless `bom=False` so Excel reads it as
    UTF-8). `headers=None` writes only `rows`."""
    return "".join(stream_csv(headers, rows, bom=bom)).encode("utf-8")


def stream_csv(
    headers: list[str] | None, rows: Iterable[Iterable[Any]], *, bom: bool = True
) -> Iterator[str]:
    """The CSV one line at a time, for a StreamingHttpResponse over a large queryset."""
    line = _Line()
    writer = csv.writer(line)
    if bom:
        yield "\ufeff"
    if headers is not None:
        yield writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


class _Line:
    def write(self, value: str) -> str:
        return value


@dataclass(frozen=True)
class Formatted:
    """A cell value with its spreadsheet number format (from cpw.core.formatting): the figure
    stays a number, shown as "£575,000" or "74.6%" in the sheet. In a CSV, just the value."""

    value: Any
    number_format: str | None = None


@dataclass
class Sheet:
    """One worksheet: bold, frozen headings over rows. `widths` (characters) per column; by
    default each column is as wide as its heading (12 to 60). `intro` rows go above the headings
    (the first in large bold type), as on a contents page. `formats`: a number format per column
    (None: the default) for its numbers; a `Formatted` cell's own format wins."""

    title: str
    headers: list[str] | None
    rows: Iterable[Iterable[Any]]
    widths: list[float] | None = None
    intro: list[list[Any]] = field(default_factory=list)
    formats: list[str | None] | None = None


def write_xlsx(*sheets: Sheet) -> bytes:
    """A workbook with one worksheet per Sheet, streamed row by row (write-only mode). Numbers,
    decimals and dates stay numbers and dates; text that looks like a formula stays text."""
    workbook = Workbook(write_only=True)
    used = set()
    for spec in sheets:
        worksheet = workbook.create_sheet(_sheet_title(spec.title, used))
        widths = spec.widths
        if widths is None and spec.headers:
            widths = [max(12, min(60, len(str(h)) + 4)) for h in spec.headers]
        for index, width in enumerate(widths or [], start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        if spec.headers is not None:  # before any row: a write-only sheet ignores it later
            worksheet.freeze_panes = f"A{len(spec.intro) + 2}"
        for position, row in enumerate(spec.intro):
            font = Font(bold=True, size=14) if position == 0 else None
            worksheet.append([_xlsx_cell(worksheet, v, font) for v in row])
        if spec.headers is not None:
            bold = Font(bold=True)
            worksheet.append([_xlsx_cell(worksheet, h, bold) for h in spec.headers])
        formats = spec.formats or []
        for row in spec.rows:
            worksheet.append(
                [
                    _xlsx_cell(worksheet, v, None, formats[i] if i < len(formats) else None)
                    for i, v in enumerate(row)
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    """At most 31 characters, none of []:*?/\\ and unique in the workbook."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip() or "Sheet"
    candidate, n = clean[:31], 2
    while candidate.lower() in used:
        candidate = f"{clean[:27]} {n}"
        n += 1
    used.add(candidate.lower())
    return candidate


def _xlsx_cell(worksheet, value: Any, font: Font | None = None, number_format: str | None = None):
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format or number_format
    if not isinstance(value, (int, float, Decimal, datetime.date)) or isinstance(value, bool):
        number_format = None
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    elif value is not None and not isinstance(
        value, (str, int, float, Decimal, datetime.date, datetime.time, bool)
    ):
        value = str(value)
    if font is None and number_format is None and not is_formula_like(value):
        return value
    cell = WriteOnlyCell(worksheet, value=value)
    if number_format is not None:
        cell.number_format = number_format
    if is_formula_like(value):
        cell.data_type = "s"  # openpyxl would otherwise write "=…" as a formula
    if font is not None:
        cell.font = font
    return cell


def csv_response(
    filename: str, headers: list[str] | None, rows: Iterable[Iterable[Any]], *, stream: bool = False
) -> HttpResponse | StreamingHttpResponse:
    """A CSV download. `stream=True` sends it line by line (for large exports)."""
    if stream:
        response = StreamingHttpResponse(stream_csv(headers, rows), content_type=CSV_TYPE)
    else:
        response = HttpResponse(write_csv(headers, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(
    stem: str, fmt: str, headers: list[str], rows: Iterable[Iterable[Any]], *, title: str = ""
) -> HttpResponse:
    """One table as `stem`.csv or `stem`.xlsx (one sheet called `title`, or `stem`)."""
    if fmt == "xlsx":
        return xlsx_response(f"{stem}.xlsx", Sheet(title=title or stem, headers=headers, rows=rows))
    if fmt == "csv":
        return csv_response(f"{stem}.csv", headers, rows)
    raise ValueError(f"Unknown format {fmt!r}")


def xlsx_response(filename: str, *sheets: Sheet) -> HttpResponse:
    return file_response(filename, write_xlsx(*sheets), XLSX_TYPE)


def file_response(filename: str, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
