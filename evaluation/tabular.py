"""Reading uploaded CSV/XLSX files into rows, and writing CSV/XLSX downloads."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as the user sees it in the file (header is row 1)
    column: str
    message: str


class ImportRejected(ValidationError):
    """The file has errors, so nothing was saved. `row_errors` lists each one."""

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = row_errors
        count = len(row_errors)
        super().__init__(
            f"The file has {count} error{'s' if count != 1 else ''}, so nothing was imported. "
            "Correct the rows listed and upload it again."
        )


def _normalise_header(value) -> str:
    return str(value if value is not None else "").strip()


def read_rows(uploaded_file) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(headers, [(row number, {header: cell text})]) from a .csv or .xlsx upload. Blank rows are
    skipped. Raises ValidationError for an empty or unreadable file."""
    name = (getattr(uploaded_file, "name", "") or "").lower()
    if getattr(uploaded_file, "size", 0) > MAX_UPLOAD_BYTES:
        raise ValidationError("The file must be smaller than 10MB")
    raw = uploaded_file.read()
    if not raw or not raw.strip():
        raise ValidationError("The selected file is empty")
    if name.endswith(".xlsx"):
        table = _xlsx_rows(raw)
    elif name.endswith(".csv"):
        table = _csv_rows(raw)
    else:
        raise ValidationError("The selected file must be a CSV or an Excel (.xlsx) file")
    if not table:
        raise ValidationError("The selected file is empty")
    headers = [_normalise_header(h) for h in table[0]]
    if not any(headers):
        raise ValidationError("The first row of the file must name the columns")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = ["" if c is None else str(c).strip() for c in cells]
        if not any(values):
            continue
        values += [""] * (len(headers) - len(values))
        rows.append((number, {h: v for h, v in zip(headers, values, strict=False) if h}))
    if not rows:
        raise ValidationError("The selected file has no rows of data below the column names")
    return headers, rows


def _csv_rows(raw: bytes) -> list[list[str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(raw: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError("The selected file could not be read as an Excel file") from exc
    sheet = workbook.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else _cell_text(v) for v in row])
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_response(filename: str, headers: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return response


def xlsx_response(filename: str, headers: list[str], rows: list[list]) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _xlsx_value(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value
