"""Every page's <title> is plain text that starts with its <h1>, as GOV.UK asks (and as screen
readers announce it), and every table sits in a focusable region that scrolls sideways on a
phone, so the page itself never does. One GET per page of the access matrix, as one role that
may see it."""

import html
import re

from django.urls import reverse

from tests.access import ANONYMOUS, OUTSIDER, all_access_rows

# The role each page is read as: the first of these the row allows.
ROLE_PREFERENCE = [
    "programme_manager",
    "officer",
    "councillor",
    "assessor",
    "partner",
    "steering_group",
    "council_admin",
    "staff",
    ANONYMOUS,
]

PAGES = [
    row for row in all_access_rows() if row.method == "get" and row.html and row.ok_status == 200
]

HEAD = re.compile(r"<head>(.*?)</head>", re.S)
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
TAG = re.compile(r"<[^>]+>")
WRAPPED_TABLE = re.compile(
    r'<div class="app-table-wrapper" tabindex="0" role="region" aria-label="[^"]+">\s*<table\b'
)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def _role(row):
    for role in ROLE_PREFERENCE:
        if role in row.allowed or (role == ANONYMOUS and row.public):
            return role
    return None


def _check(row, world, client) -> str | None:
    """What is wrong with one page's title, or None."""
    role = _role(row)
    if role is None or role == OUTSIDER:
        return None
    client.logout()
    if role != ANONYMOUS:
        client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    url = reverse(row.url_name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query
    response = client.get(url)
    expected = row.anonymous_ok_status if role == ANONYMOUS and row.anonymous_ok_status else 200
    if response.status_code != expected:
        return f"{url} as {role}: status {response.status_code}"
    if expected != 200:
        return None
    page = response.content.decode()
    head = HEAD.search(page)
    titles = TITLE.findall(head.group(1) if head else "")
    if len(titles) != 1:
        return f"{url}: {len(titles)} <title> elements"
    if "<" in titles[0]:
        return f"{url}: HTML in the <title>: {titles[0][:120]!r}"
    title = _text(titles[0])
    h1s = H1.findall(page)
    if len(h1s) != 1:
        return f"{url}: {len(h1s)} <h1> elements"
    heading = _text(h1s[0])
    if not title.removeprefix("Error: ").startswith(heading):
        return f"{url}: title {title!r} does not start with the h1 {heading!r}"
    tables = page.count("<table")
    wrapped = len(WRAPPED_TABLE.findall(page))
    if wrapped != tables:
        return f"{url}: {tables - wrapped} of {tables} tables not in a scrollable region"
    return None


def test_every_page_has_a_plain_title_and_scrollable_tables(world, client):
    """One world for every page (building one per page would take minutes)."""
    problems = [problem for row in PAGES if (problem := _check(row, world, client))]
    assert not problems, "\n".join(problems)
