"""One council's staff never see another council's things (issue 11).

The test world holds two councils: Warwickshire County Council (a county: divisions) and
Westmorland and Furness Council (a unitary: wards and localities), each with a programme and
its own objects (tests/<app>/access.py `extend_world`), every name made the council's own by
tests/isolation.py. Every GET page of the access matrix (HTML, CSV, XLSX and the report's
downloads) is requested as each council staff role of each council, with that council's objects,
and must name none of the other council's name, places, organisations, people, funds,
commitments, groundbreakers or other objects.
"""

import html
import io
import re
from dataclasses import dataclass, field

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cpw.accounts.models import Role
from tests.access import all_access_rows
from tests.isolation import distinguish, find, markers, only_own

STAFF_ROLES = [
    Role.COUNCIL_ADMIN.value,
    Role.PROGRAMME_MANAGER.value,
    Role.OFFICER.value,
    Role.STEERING_GROUP.value,
    Role.COUNCILLOR.value,
    Role.ASSESSOR.value,
]
GET_ROWS = [row for row in all_access_rows() if row.method == "get"]


def _row_id(row):
    return f"{row.url_name}{row.query}"


def _body_text(response) -> str:
    """What the response shows a person: HTML/CSV text, every cell and sheet name of an XLSX,
    the download's file name."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [response.get("Content-Disposition", "")]
    if content[:2] == b"PK":  # an XLSX workbook (a zip)
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        for sheet in book.worksheets:
            parts.append(sheet.title)
            for cells in sheet.iter_rows(values_only=True):
                parts.extend(str(c) for c in cells if c is not None)
    else:
        parts.append(content.decode("utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def councils_world(rolled_back_module_world, django_db_blocker):
    """The test world, built once for the module (tests/conftest.py), with every name made its
    council's own, and the markers of each council. The tests only read it."""
    world = rolled_back_module_world
    with django_db_blocker.unblock():
        distinguish(world)
    first, second = markers(world), markers(world.other)
    # What a page of each council must not show: the other council's markers.
    world.must_not_show = only_own(first, second)
    world.other.must_not_show = only_own(second, first)
    world.own_markers, world.other.own_markers = first, second
    return world


@pytest.fixture
def two_councils(councils_world, db):
    return councils_world


@dataclass
class Walked:
    """What the staff of each council saw on every GET page, walked once for the module."""

    leaks: list = field(default_factory=list)  # (row id, url, role, kind, marker)
    seen: set = field(default_factory=set)  # (council slug, kind of its own markers shown)
    wrong_council: list = field(default_factory=list)  # pages whose title or header is wrong


@pytest.fixture(scope="module")
def walked(councils_world, django_db_blocker) -> Walked:
    with django_db_blocker.unblock():
        return _walk(councils_world, GET_ROWS)


def _walk(world, rows) -> Walked:
    """Every GET page as each staff role of each council, with that council's objects: the other
    council's markers each page shows (leaks), the kinds of the council's own markers its pages
    show (so that a marker list that matches nothing cannot pass unnoticed), and the HTML pages
    whose title or header names the wrong council."""
    walked = Walked()
    client = Client()
    for own, other in ((world, world.other), (world.other, world)):
        own.slug = own.council.slug
        for role in STAFF_ROLES:
            client.force_login(own.users[role], backend="django.contrib.auth.backends.ModelBackend")
            for row in rows:
                kwargs = row.kwargs(own) if row.kwargs else None
                url = reverse(row.url_name, kwargs=kwargs) + row.query
                response = client.get(url)
                if response.status_code != 200:
                    continue
                text = _body_text(response)
                for kind, marker in find(own.must_not_show, text):
                    walked.leaks.append((_row_id(row), url, role, kind, marker))
                todo = {
                    k: v for k, v in own.own_markers.items() if (own.slug, k) not in walked.seen
                }
                walked.seen |= {(own.slug, kind) for kind, _ in find(todo, text)}
                if row.html and "text/html" in response["Content-Type"]:
                    title, header = _title_and_header(response)
                    if (
                        header != own.council.name
                        or own.council.name not in title
                        or other.council.short_name in title + header
                    ):
                        walked.wrong_council.append(
                            f"{url} as {role}: header {header!r}, title {title!r}"
                        )
    return walked


MARKER_KINDS = [
    "council",
    "places",
    "organisations",
    "people",
    "funds",
    "commitments",
    "groundbreakers",
]


def test_no_page_shows_another_councils_things(walked, two_councils):
    # Each council's own pages show each kind of its own markers somewhere: the walk looks for
    # strings that pages really print.
    for w in (two_councils, two_councils.other):
        assert {kind for slug, kind in walked.seen if slug == w.council.slug} >= set(MARKER_KINDS)
    assert not walked.leaks, "Pages that show another council's things:\n" + "\n".join(
        f"{url} as {role} ({row_id}): {kind} {marker!r}"
        for row_id, url, role, kind, marker in walked.leaks
    )


TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HEADER = re.compile(r'<span class="portal-header__council">(.*?)</span>', re.S)


def _title_and_header(response) -> tuple[str, str]:
    page = response.content.decode()
    title, header = TITLE.search(page), HEADER.search(page)
    assert title and header, "every page has a <title> and a header"
    return html.unescape(title.group(1)), html.unescape(header.group(1)).strip()


def test_every_page_names_the_council_of_its_object(walked):
    """A W&F page says "Westmorland and Furness Council" in its title and header, never
    "Warwickshire", and the other way round."""
    assert not walked.wrong_council, "Pages that name the wrong council:\n" + "\n".join(
        walked.wrong_council
    )


def test_pages_outside_any_council_show_the_portals_name(two_councils, client_as):
    client = client_as(None)
    sign_in = client.get(reverse("accounts:sign-in"))
    client = client_as(two_councils.users[Role.PARTNER.value])
    partner_home = client.get(reverse("home"), follow=True)
    organisation = client.get(reverse("accounts:organisation"))
    for response in (sign_in, partner_home, organisation):
        assert response.status_code == 200
        title, header = _title_and_header(response)
        assert header == settings.SERVICE_NAME
        assert settings.SERVICE_NAME in title
        for w in (two_councils, two_councils.other):
            assert w.council.short_name not in title + header
            assert w.council.short_name not in response.content.decode()


def test_the_fund_list_shows_council_staff_their_own_councils_funds_and_others_all(
    two_councils, client_as
):
    """A partner (or a visitor) may apply to any council's fund; a council's staff see their own
    council's funds under its name."""
    for w in (two_councils, two_councils.other):
        w.funds.fund.refresh_from_db()
    first, second = two_councils.funds.fund.name, two_councils.other.funds.fund.name
    for user in (None, two_councils.users[Role.PARTNER.value]):
        page = client_as(user).get(reverse("funds:fund-list")).content.decode()
        assert first in page and second in page
    page = client_as(two_councils.other.users[Role.OFFICER.value]).get(reverse("funds:fund-list"))
    assert second in page.content.decode() and first not in page.content.decode()
    assert _title_and_header(page)[1] == "Westmorland and Furness Council"
