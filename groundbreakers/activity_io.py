"""The engagement log in and out of CSV and Excel: the import's columns and template, reading and
checking every row (through cpw.core.tabular), and the all-or-nothing import itself. The export
(views.ActivityExportView) writes the same columns, so export → import changes nothing.

An activity is matched on its groundbreaker, title (in any case) and date: a row that matches
an activity already in the log updates it (so a planned activity can be recorded as held by
importing the file again with its figures), and a row that matches another row of the same
file is an error."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cpw.accounts.models import Organisation, User
from cpw.core import bounds, tabular
from cpw.core.tabular import ImportRejected, RowError, RowErrors
from programmes.models import Place, Programme
from programmes.organisations import organisation_by_exact_name

from . import services
from .models import COUNT_FIELDS, Activity, ActivityKind, ActivityStatus, Groundbreaker

COLUMNS = [
    "date",
    "end_date",
    "title",
    "kind",
    "status",
    "groundbreaker",
    "places",
    "audiences",
    "partners",
    "council_led",
    "attendees",
    "households_approached",
    "questionnaires_completed",
    "hours_of_conversation",
    "volunteers",
    "notes",
]
REQUIRED = ["date", "title", "kind"]
# Other names a column may have (the export's headings among them).
ALIASES = {
    "type": "kind",
    "place": "places",
    "audience": "audiences",
    "partner": "partners",
    "attendance": "attendees",
    "hours": "hours_of_conversation",
    "name": "title",
    "activity": "title",
}
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
PROGRAMME_LEVEL = {"", "programme-level", "programme level", "none"}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y")

TEMPLATE_ROWS = [
    [
        "2025-05-14",
        "",
        "Community conversation at the library",
        "Community conversation",
        "Held",
        "",
        "",
        "Residents; Young people",
        "",
        "Yes",
        "24",
        "",
        "",
        "3",
        "2",
        "Tea and cake helped",
    ],
    [
        "2030-06-01",
        "",
        "Town and parish councils briefing",
        "Online event",
        "Planned",
        "",
        "",
        "Town and parish councils",
        "",
        "Yes",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]


def normalise_header(text: str) -> str:
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    return ALIASES.get(key, key)


def read_table(name: str, source) -> list[tuple[int, dict[str, str]]]:
    """(row number in the file, {column: text}) for every row below the headings. Raises
    ValidationError with a plain message when the file is empty, too big, of the wrong kind or
    lacks a column the import needs."""
    headers, rows = tabular.read_dicts(
        source, name=name, max_rows=MAX_ROWS, max_bytes=MAX_BYTES, normalise_header=normalise_header
    )
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise ValidationError(
            f"The file has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}. "
            "Use the template's columns: " + ", ".join(COLUMNS)
        )
    if not rows:
        raise ValidationError("The file has headings but no activities")
    return rows


# --- Parsing cells --------------------------------------------------------------------------


def parse_date(text: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    raise ValueError(text)


KIND_LOOKUP = {}
for _value, _label in ActivityKind.choices:
    KIND_LOOKUP[_value] = _value
    KIND_LOOKUP[_label.lower()] = _value
    KIND_LOOKUP[_value.replace("_", " ")] = _value
STATUS_LOOKUP = {v: v for v in ActivityStatus.values} | {
    label.lower(): value for value, label in ActivityStatus.choices
}
STATUS_LOOKUP["canceled"] = ActivityStatus.CANCELLED


def split_list(cell: str) -> list[str]:
    """'Residents; young people' → ['Residents', 'young people'] (empty parts dropped)."""
    return [part.strip() for part in cell.replace("\n", ";").split(";") if part.strip()]


class _Lookup:
    """What the rows may name, loaded once per import: the programme's groundbreakers, its
    council's places (by name or ONS code) and audiences, and organisations by name."""

    AMBIGUOUS = object()

    def __init__(self, programme: Programme):
        self.council = programme.council
        self.groundbreakers = {}
        for gb in Groundbreaker.objects.filter(programme=programme):
            self.groundbreakers[gb.name.strip().lower()] = gb
            self.groundbreakers.setdefault(gb.slug.lower(), gb)
        self.places = {}
        for place in Place.objects.filter(council=self.council).only("id", "name", "ons_code"):
            key = place.name.strip().lower()
            self.places[key] = self.AMBIGUOUS if key in self.places else place
            if place.ons_code:
                self.places[place.ons_code.strip().lower()] = place
        self.audiences = {
            a.name.lower(): a.name for a in services.audiences_ensure(council=self.council)
        }
        self.organisations = {}
        for org in Organisation.objects.only("id", "name"):
            key = org.name.strip().lower()
            self.organisations[key] = self.AMBIGUOUS if key in self.organisations else org


@dataclass
class Row:
    number: int
    fields: dict = field(default_factory=dict)
    places: list = field(default_factory=list)
    audiences: list = field(default_factory=list)
    partners: list = field(default_factory=list)
    # Partners named in the file that are not on the portal yet: added when the row is saved,
    # as the activity form's "not listed" field does (an unknown name reveals nothing).
    new_partners: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    @property
    def key(self):
        f = self.fields
        gb = f.get("groundbreaker")
        return (gb.pk if gb else None, f.get("title", "").lower(), f.get("date"))


def check_row(number: int, cells: dict, lookup: _Lookup) -> Row:
    """One row parsed, with a plain-English error for each bad cell; nothing is saved."""
    row = Row(number)
    f = row.fields
    cell = {c: (cells.get(c) or "").strip() for c in COLUMNS}
    f["title"] = cell["title"]
    if not cell["title"]:
        row.error("title", "Enter what the activity was called")
    for message in bounds.values_errors(Activity, {"title": cell["title"]}, {"title": "the title"}):
        row.error("title", message)
    kind = KIND_LOOKUP.get(cell["kind"].lower())
    if not cell["kind"]:
        row.error("kind", "Enter the type of activity")
    elif kind is None:
        allowed = ", ".join(label for _, label in ActivityKind.choices)
        row.error("kind", f"'{cell['kind']}' is not a type of activity. Use one of: {allowed}")
    f["kind"] = kind
    for column in ("date", "end_date"):
        f[column] = None
        if cell[column]:
            try:
                f[column] = parse_date(cell[column])
            except ValueError:
                row.error(
                    column,
                    f"'{cell[column]}' is not a date. Use a date like 2025-03-31 or 31/03/2025",
                )
        elif column == "date":
            row.error("date", "Enter the date of the activity")
    status = cell["status"].lower()
    if not status:  # blank: held if it is in the past, planned if it is still to come
        today = timezone.localdate()
        f["status"] = (
            ActivityStatus.PLANNED
            if f["date"] is not None and f["date"] > today
            else ActivityStatus.HELD
        )
    elif status in STATUS_LOOKUP:
        f["status"] = STATUS_LOOKUP[status]
    else:
        row.error("status", f"'{cell['status']}' is not a status. Use planned, held or cancelled")
    gb_name = cell["groundbreaker"].lower()
    f["groundbreaker"] = None
    if gb_name not in PROGRAMME_LEVEL:
        f["groundbreaker"] = lookup.groundbreakers.get(gb_name)
        if f["groundbreaker"] is None:
            row.error(
                "groundbreaker",
                f"'{cell['groundbreaker']}' is not one of this programme's groundbreakers",
            )
    for name in split_list(cell["places"]):
        place = lookup.places.get(name.lower())
        if place is None:
            row.error("places", f"'{name}' is not a place in {lookup.council.name}")
        elif place is lookup.AMBIGUOUS:
            row.error("places", f"More than one place is called '{name}': use its ONS code")
        elif place not in row.places:
            row.places.append(place)
    for name in split_list(cell["audiences"]):
        known = lookup.audiences.get(" ".join(name.split()).lower())
        if known is None:
            row.error(
                "audiences",
                f"'{name}' is not in {lookup.council.name}'s list of audiences. A programme "
                "manager can add it on the audiences page",
            )
        elif known not in row.audiences:
            row.audiences.append(known)
    for name in split_list(cell["partners"]):
        org = lookup.organisations.get(name.lower())
        if org is None:
            if " ".join(name.split()).lower() not in (n.lower() for n in row.new_partners):
                row.new_partners.append(" ".join(name.split()))
        elif org is lookup.AMBIGUOUS:
            row.error("partners", f"More than one organisation is called '{name}'")
        elif org not in row.partners:
            row.partners.append(org)
    led = cell["council_led"].lower()
    if led in YES or not led:
        f["council_led"] = True
    elif led in NO:
        f["council_led"] = False
    else:
        row.error("council_led", f"'{cell['council_led']}' in council_led must be yes or no")
    for column in COUNT_FIELDS:
        try:
            f[column] = services.clean_count(column, cell[column])
        except ValidationError as exc:
            row.error(column, exc.message_dict[column][0])
    f["notes"] = cell["notes"]
    for message in bounds.values_errors(Activity, {"notes": cell["notes"]}, {"notes": "the notes"}):
        row.error("notes", message)
    for name in row.new_partners:
        for message in bounds.values_errors(
            Organisation, {"name": name}, {"name": f"the partner '{name[:40]}…'"}
        ):
            row.error("partners", message)
    if row.errors:
        return row
    if f["status"] == ActivityStatus.HELD and f["date"] > timezone.localdate():
        row.error(
            "date",
            "An activity that was held cannot be in the future. Give it the status planned",
        )
    if f["end_date"] is not None and f["end_date"] < f["date"]:
        row.error("end_date", "The end date must be the same as or after the date")
    return row


# --- Import ---------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"{self.created} new, {self.updated} changed, {self.unchanged} unchanged"


def _snapshot_fields(activity: Activity) -> tuple:
    return (
        *(getattr(activity, name) for name in ["groundbreaker_id", "title", "kind", "status"]),
        *(getattr(activity, name) for name in ["date", "end_date", "council_led", "notes"]),
        *(getattr(activity, name) for name in COUNT_FIELDS),
    )


def _snapshot(activity: Activity) -> tuple:
    return (
        *_snapshot_fields(activity),
        sorted(p.pk for p in activity.places.all()),
        sorted(a.name for a in activity.audiences.all()),
        sorted(o.pk for o in activity.partners.all()),
    )


@transaction.atomic
def activities_import(
    *, programme: Programme, rows: list[tuple[int, dict]], user: User | None = None
) -> ImportSummary:
    """Import an engagement log, all or nothing: raises ImportRejected listing every row's
    errors (with the file's row numbers) and saves nothing. A row matching an activity already
    in the log (same groundbreaker, title and date) updates it; a file importing the same
    activity twice is refused."""
    lookup = _Lookup(programme)
    errors = RowErrors()
    checked = []
    seen: dict[tuple, int] = {}
    for number, cells in rows:
        row = check_row(number, cells, lookup)
        if not row.errors:
            if row.key in seen:
                row.error(
                    "title",
                    f"The same activity (title, date and groundbreaker) is also in row "
                    f"{seen[row.key]}",
                )
            seen.setdefault(row.key, number)
        errors.extend(row.errors)
        if not errors:
            checked.append(row)
    if errors:
        raise ImportRejected(errors)
    existing: dict[tuple, list[Activity]] = {}
    for activity in Activity.objects.filter(programme=programme).prefetch_related(
        "places", "audiences", "partners"
    ):
        key = (activity.groundbreaker_id, activity.title.strip().lower(), activity.date)
        existing.setdefault(key, []).append(activity)
    for row in checked:
        matches = existing.get(row.key, [])
        if len(matches) > 1:
            errors.append(
                RowError(
                    row.number,
                    "title",
                    "The log already has more than one activity with this title, date and "
                    "groundbreaker. Correct them on the activity log page first",
                )
            )
    if errors:
        raise ImportRejected(errors)
    summary = ImportSummary()
    for row in checked:
        matches = existing.get(row.key, [])
        row.partners += [organisation_by_exact_name(name) for name in row.new_partners]
        try:
            if not matches:
                services.activity_log(
                    programme=programme,
                    user=user,
                    partners=row.partners,
                    places=row.places,
                    audiences=row.audiences,
                    **row.fields,
                )
                summary.created += 1
                continue
            activity = matches[0]
            before = _snapshot(activity)
            probe = services._activity_apply(
                Activity.objects.get(pk=activity.pk), programme=programme, **row.fields
            )
            after = (
                *_snapshot_fields(probe),
                sorted(p.pk for p in row.places),
                sorted(row.audiences),
                sorted(o.pk for o in row.partners),
            )
            if before == after:
                summary.unchanged += 1
                continue
            services.activity_change(
                activity=activity,
                user=user,
                partners=row.partners,
                places=row.places,
                audiences=row.audiences,
                **row.fields,
            )
            summary.updated += 1
        except ValidationError as exc:  # a rule only the service knows
            errors.extend(RowError(row.number, "", m) for m in exc.messages)
    if errors:  # raised inside the transaction: everything saved above is rolled back
        raise ImportRejected(errors)
    return summary


def template_csv() -> bytes:
    return tabular.write_csv(COLUMNS, TEMPLATE_ROWS)
