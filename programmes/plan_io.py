"""Delivery plans in and out of CSV and Excel: reading files (through cpw.core.tabular), checking
every row and building what the import service saves, and exporting in the same shape (so import → export → import gives
the same plan)."""

import calendar
import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q

from cpw.accounts.models import COUNCIL_ROLES, Organisation, RoleAssignment, User
from cpw.core import bounds, tabular

from . import organisations
from .models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    DeliveryPlan,
    Group,
    Milestone,
)
from .periods import period_name
from .selectors import commitment_list

COLUMNS = [
    "group",
    "commitment",
    "description",
    "leads",
    "milestones",
    "due_date",
    "status",
    "latest_update",
    "ambitions",  # optional: the programme's ambitions it serves, separated by semicolons
]
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))


# --- Reading files --------------------------------------------------------------------------


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as {lower-case header: text}. Raises ValidationError with a
    plain message when the file is empty, too big, of the wrong kind or has no usable header."""
    headers, rows = tabular.read_dicts(
        content,
        name=name,
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
        normalise_header=lambda h: h.strip().lower().replace(" ", "_"),
    )
    if "commitment" not in headers:
        raise ValidationError(
            "The file has no 'commitment' column. Use the template's columns: " + ", ".join(COLUMNS)
        )
    if not rows:
        raise ValidationError("The file has headings but no commitments")
    return [cells for _, cells in rows]


# --- Parsing cells --------------------------------------------------------------------------


def parse_date(text: str) -> datetime.date | None:
    """2024-03-31, 31/03/2024, 31 March 2024 or March 2024 (the month's last day)."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    found = _month_year(text)
    if found and found[1] == text.lower():
        return found[0]
    raise ValueError(text)


def _month_year(text: str):
    match = re.search(rf"\b({MONTH_RE})\.?\s+(\d{{4}}|\d{{2}})\b", text, re.IGNORECASE)
    if not match:
        return None
    month = MONTHS[match.group(1).lower()]
    year = int(match.group(2))
    year = year + 2000 if year < 100 else year
    day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, day), match.group(0).lower()


MILESTONE_RE = re.compile(
    r"^(?P<title>.*?)\s*\((?:due (?P<due>\d{4}-\d{2}-\d{2}))?(?:,\s*)?"
    r"(?:done (?P<done>\d{4}-\d{2}-\d{2}))?\)$"
)


def parse_milestones(text: str) -> list[tuple[str, datetime.date | None, datetime.date | None]]:
    """'Develop 20 places by Dec 15; launch January 2016' -> [(title, due, done), ...]. The
    export's own form 'Title (due 2024-03-31, done 2024-02-01)' is read exactly."""
    milestones = []
    for part in re.split(r"[;\n]", text):
        part = part.strip()
        if not part:
            continue
        match = MILESTONE_RE.match(part)
        if match and (match.group("due") or match.group("done")):
            due = datetime.date.fromisoformat(match.group("due")) if match.group("due") else None
            done = datetime.date.fromisoformat(match.group("done")) if match.group("done") else None
            milestones.append((match.group("title"), due, done))
            continue
        due = None
        iso = re.search(r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\b", part)
        if iso:
            try:
                due = parse_date(iso.group(1))
            except ValueError:
                due = None
        if due is None:
            found = _month_year(part)
            due = found[0] if found else None
        milestones.append((part, due, None))
    return milestones


def format_milestone(title, due, done) -> str:
    dates = []
    if due:
        dates.append(f"due {due.isoformat()}")
    if done:
        dates.append(f"done {done.isoformat()}")
    return f"{title} ({', '.join(dates)})" if dates else title


STATUS_LOOKUP = {}
for value, label in CommitmentStatus.choices:
    STATUS_LOOKUP[value] = value
    STATUS_LOOKUP[label.lower()] = value
    STATUS_LOOKUP[value.replace("_", " ")] = value
STATUS_LOOKUP.update({"completed": "complete", "done": "complete", "green": "on_track"})


def council_people(council_id: int):
    """The council's own people: those with a council role in one of its programmes, and its
    council admins (partners' people, who belong to an organisation, lead as the organisation)."""
    staff = RoleAssignment.objects.filter(
        Q(programme__council_id=council_id) | Q(council_id=council_id), role__in=COUNCIL_ROLES
    ).values("user_id")
    return User.objects.filter(is_active=True, organisation__isnull=True, pk__in=staff)


NAME_MAX = Organisation._meta.get_field("name").max_length


class LeadMatcher:
    """Matches lead names (or emails) to the council's people and organisations, loaded once.
    Nobody and nothing of another council matches, so a preview never shows them."""

    def __init__(self, council_id: int):
        self.users: dict[str, list[User]] = {}
        for user in council_people(council_id):
            self.users.setdefault(user.email.lower(), []).append(user)
            self.users.setdefault(user.full_name.strip().lower(), []).append(user)
        self.organisations = {
            o.name.strip().lower(): o
            for o in organisations.organisation_list_for_council(council_id)
        }

    def match(self, name: str):
        key = name.strip().lower()
        if key in self.users:
            found = self.users[key]
            if len(found) > 1:
                return "ambiguous"
            return found[0]
        return self.organisations.get(key)

    def split(self, cell: str) -> list[str]:
        names = []
        for part in re.split(r"[;,]", cell):
            part = part.strip()
            if not part:
                continue
            if self.match(part) or " and " not in part:
                names.append(part)
            else:
                names.extend(p.strip() for p in re.split(r"\s+and\s+", part) if p.strip())
        return names


@dataclass
class RowResult:
    number: int  # the spreadsheet row number (headings are row 1)
    cells: dict
    group: str = ""
    title: str = ""
    description: str = ""
    users: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    new_organisations: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    due_date: datetime.date | None = None
    status: str = CommitmentStatus.NOT_STARTED
    latest_update: str = ""
    errors: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)
    # The ambitions it serves, or None when the file has no ambitions column (left as they are).
    ambitions: list | None = None


def check_rows(
    table: list[dict],
    *,
    council_id: int,
    group_label: str = "group",
    unmatched: str = "error",
    ambitions: dict | None = None,
) -> list[RowResult]:
    """Every row parsed, with plain-English errors; nothing is saved. Leads are matched only
    among the council's people and organisations; `ambitions` maps the programme's ambitions'
    lower-case names to them, for the optional ambitions column."""
    matcher = LeadMatcher(council_id)
    ambitions = ambitions or {}
    results = []
    seen = {}
    for index, cells in enumerate(table, start=2):
        row = RowResult(number=index, cells=cells)
        row.group = cells.get("group", "").strip()
        row.title = cells.get("commitment", "").strip()
        row.description = cells.get("description", "").strip()
        row.latest_update = cells.get("latest_update", "").strip()
        if not row.group:
            row.errors.append(f"Enter the {group_label.lower()} this commitment belongs to")
        if not row.title:
            row.errors.append("Enter the commitment's title")
        row.errors += bounds.values_errors(
            Commitment,
            {"title": row.title, "description": row.description},
            {"title": "the commitment's title", "description": "the description"},
        )
        row.errors += bounds.values_errors(
            Group, {"name": row.group}, {"name": f"the {group_label.lower()}"}
        )
        row.errors += bounds.values_errors(
            CommitmentUpdate, {"what_happened": row.latest_update}, {"what_happened": "the update"}
        )
        key = (row.group.lower(), row.title.lower())
        if row.title and key in seen:
            row.errors.append(f"This commitment is already in row {seen[key]}")
        seen.setdefault(key, index)
        due = cells.get("due_date", "").strip()
        try:
            row.due_date = parse_date(due)
        except ValueError:
            row.errors.append(
                f"'{due}' in due_date is not a date. Use a date like 2024-03-31 or 31/03/2024"
            )
        status = cells.get("status", "").strip().lower()
        if status:
            if status in STATUS_LOOKUP:
                row.status = STATUS_LOOKUP[status]
            else:
                allowed = ", ".join(label for _, label in CommitmentStatus.choices)
                row.errors.append(f"'{cells['status']}' is not a status. Use one of: {allowed}")
        for name in matcher.split(cells.get("leads", "")):
            found = matcher.match(name)
            if found == "ambiguous":
                row.errors.append(
                    f"More than one person is called '{name}'. Use their email address instead"
                )
            elif isinstance(found, User):
                row.users.append(found)
            elif isinstance(found, Organisation):
                row.organisations.append(found)
            elif unmatched == "create":
                if len(name) > NAME_MAX:
                    row.errors.append(
                        f"Lead '{name[:40]}…' is too long for an organisation's name. Use "
                        f"{NAME_MAX} characters or fewer"
                    )
                else:
                    row.new_organisations.append(name)
            elif unmatched == "skip":
                continue
            else:
                row.unmatched.append(name)
                row.errors.append(
                    f"Lead '{name}' does not match anyone working with the council. Correct "
                    "the name, or "
                    "choose to add unmatched leads as new organisations or leave them out"
                )
        if "ambitions" in cells:
            row.ambitions = []
            for name in (p.strip() for p in cells["ambitions"].split(";")):
                if not name:
                    continue
                ambition = ambitions.get(" ".join(name.split()).lower())
                if ambition is None:
                    known = "; ".join(a.name for a in ambitions.values()) or "none yet"
                    row.errors.append(
                        f"'{name}' is not one of the programme's ambitions ({known}). "
                        "Separate several with semicolons"
                    )
                elif ambition not in row.ambitions:
                    row.ambitions.append(ambition)
        row.milestones = parse_milestones(cells.get("milestones", ""))
        for title, _, _ in row.milestones:
            row.errors += bounds.values_errors(
                Milestone, {"title": title}, {"title": "a milestone"}
            )
        results.append(row)
    return results


# --- Export ---------------------------------------------------------------------------------


def export_rows(
    plan: DeliveryPlan, commitments=None, periods=(), programme=None
) -> tuple[list, list]:
    """Headings and rows in the import format, plus one RAG column per period given (named in
    the programme's wording; pass the plan's programme when you have it loaded)."""
    if commitments is None:
        commitments = commitment_list(plan)
    commitments = list(commitments)
    ids = [c.pk for c in commitments]
    milestones = {}
    for m in Milestone.objects.filter(commitment_id__in=ids).order_by("order", "id"):
        milestones.setdefault(m.commitment_id, []).append(m)
    latest = {}
    for u in (
        CommitmentUpdate.objects.filter(commitment_id__in=ids)
        .exclude(what_happened="")
        .order_by("period__start")
    ):
        latest[u.commitment_id] = u.what_happened
    ambitions = {}
    for link in (
        Commitment.ambitions.through.objects.filter(commitment_id__in=ids)
        .select_related("ambition")
        .order_by("ambition__order", "ambition__name")
    ):
        ambitions.setdefault(link.commitment_id, []).append(link.ambition.name)
    rags = {}
    if periods:
        for u in CommitmentUpdate.objects.filter(commitment_id__in=ids, period__in=periods):
            rags[(u.commitment_id, u.period_id)] = (
                u.get_rag_display() if u.status == "submitted" and u.rag else "Not submitted"
            )
    headings = [*COLUMNS, "progress", *[f"RAG {period_name(p, programme)}" for p in periods]]
    rows = []
    for c in commitments:
        leads = [u.full_name for u in c.lead_users.all()] + [
            o.name for o in c.lead_organisations.all()
        ]
        rows.append(
            [
                c.group.name,
                c.title,
                c.description,
                "; ".join(leads),
                "; ".join(
                    format_milestone(m.title, m.due_date, m.done_date)
                    for m in milestones.get(c.pk, [])
                ),
                c.end,
                c.get_status_display(),
                latest.get(c.pk, ""),
                "; ".join(ambitions.get(c.pk, [])),
                c.progress,
                *[rags.get((c.pk, p.pk), "Not submitted") for p in periods],
            ]
        )
    return headings, rows


def to_csv(headings, rows) -> bytes:
    return tabular.write_csv(headings, rows)


def to_xlsx(headings, rows, title="Delivery plan") -> bytes:
    return tabular.write_xlsx(tabular.Sheet(title=title, headers=headings, rows=rows))


TEMPLATE_EXAMPLE = [
    "Decision making",
    "Set up community panels in priority places",
    "Residents help decide how local budgets are spent",
    "Tom Evans; Feed the Hungry UK",
    "First panel meets by June 2025; panels in 5 places (due 2026-03-31)",
    "2026-03-31",
    "On track",
    "",
    "",
]


def template_csv() -> bytes:
    return to_csv(COLUMNS, [TEMPLATE_EXAMPLE])
