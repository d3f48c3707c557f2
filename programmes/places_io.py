"""A council's places in and out of CSV and Excel: reading an import file (through
cpw.core.tabular, which caps its rows and bytes), the rows it holds, and the template. The import
service (`services.places_import`) checks each row against the council's places and saves."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from cpw.core import tabular

from .models import PlaceKind

COLUMNS = ["ons_code", "name", "kind", "parent_ons_code", "parent_name"]
REQUIRED_COLUMNS = ["name", "kind"]
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
ONS_CODE = re.compile(r"^[A-Za-z][0-9A-Za-z]{1,8}$")

# The kind column takes a PlaceKind value ("division") or label ("Electoral division"), in any
# case, and these other common names.
KIND_ALIASES = {
    "electoral division": PlaceKind.DIVISION,
    "county electoral division": PlaceKind.DIVISION,
    "ced": PlaceKind.DIVISION,
    "electoral ward": PlaceKind.WARD,
    "wd": PlaceKind.WARD,
    "parish": PlaceKind.PARISH,
    "town": PlaceKind.PARISH,
    "par": PlaceKind.PARISH,
    "lad": PlaceKind.DISTRICT,
    "local authority district": PlaceKind.DISTRICT,
}
KINDS = (
    {kind.value: kind for kind in PlaceKind}
    | {kind.label.lower(): kind for kind in PlaceKind}
    | KIND_ALIASES
)


@dataclass(frozen=True)
class PlaceRow:
    number: int  # the row number as the user sees it in the file (headings are row 1)
    ons_code: str
    name: str
    kind: str  # as written in the file; services parse it with `parse_kind`
    parent_ons_code: str
    parent_name: str


def parse_kind(text: str) -> PlaceKind:
    kind = KINDS.get(" ".join(text.lower().split()))
    if kind is None:
        raise ValidationError(
            f"'{text}' is not a kind of place. Use one of: "
            + ", ".join(kind.label.lower() for kind in PlaceKind)
        )
    return kind


def check_ons_code(text: str) -> str:
    """An ONS code as stored: upper case, like E05012345. Blank stays blank."""
    code = text.strip().upper()
    if code and not ONS_CODE.match(code):
        raise ValidationError(
            f"'{text}' is not an ONS code: use a letter and up to 8 letters or digits, "
            "like E05012345"
        )
    return code


def read_rows(name: str, content) -> list[PlaceRow]:
    """The rows of a places file. Raises ValidationError with a plain message when the file is
    empty, too big, of the wrong kind, or lacks the name and kind columns."""
    headers, rows = tabular.read_dicts(
        content,
        name=name,
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
        normalise_header=lambda h: h.strip().lower().replace(" ", "_"),
    )
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        raise ValidationError(
            f"The file has no {' or '.join(repr(c) for c in missing)} column. Use the "
            "template's columns: " + ", ".join(COLUMNS)
        )
    if not rows:
        raise ValidationError("The file has headings but no places")
    return [
        PlaceRow(
            number=number,
            ons_code=cells.get("ons_code", ""),
            name=cells.get("name", ""),
            kind=cells.get("kind", ""),
            parent_ons_code=cells.get("parent_ons_code", ""),
            parent_name=cells.get("parent_name", ""),
        )
        for number, cells in rows
    ]


def template_csv() -> bytes:
    """The template to download: the columns and three example rows (a district, a ward in it
    by its code, a parish in the ward by its name), naming no real council's places."""
    return tabular.write_csv(
        COLUMNS,
        [
            ["E07000000", "Example District", "district", "", ""],
            ["E05000000", "Example Ward", "ward", "E07000000", ""],
            ["", "Example Parish", "parish", "", "Example Ward"],
        ],
    )
