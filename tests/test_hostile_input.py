"""Every form page, posted with generated hostile values (huge and negative numbers, exponents,
bad dates, long and odd unicode text, format placeholders) by someone allowed to use it:
never a 500, and a refused form saves nothing (every table's row count unchanged). Run on
SQLite and on PostgreSQL, whose columns refuse more than SQLite's do."""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from cpw.core.bounds import TEXT_MAX, _is_project_model
from tests.access import (
    ANONYMOUS,
    COUNCIL_ADMIN,
    OFFICER,
    PARTNER,
    PM,
    STAFF,
    all_access_rows,
    expected_status,
)
from tests.test_access_matrix import MatrixClient

# Who posts each form: the first of these the row allows.
POSTERS = [PM, OFFICER, PARTNER, COUNCIL_ADMIN, STAFF, ANONYMOUS]
TEXT_INPUTS = {"text", "email", "number", "search", "tel", "url", "password", None}

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "1e400",
            "-1e400",
            "3000000000",
            "-2147483649",
            "99999999999999999999999",
            "1000000000000",
            "NaN",
            "-0",
            "{}",
            "{0}",
            "{reference:>3000000}",
            "%s%s%n",
            "2026-13-45",
            "31/02/2025",
            "99999",
            "\u202e\u0000x",
            "x" * (TEXT_MAX + 1),
            "é" * 301,
            "<script>alert(1)</script>",
            "",
            " ",
        ]
    ),
    st.text(max_size=30),
)


class FormFields(HTMLParser):
    """The fields of the first POST form inside <main>: name → values a browser could send
    (hidden and choice fields) or None (free-entry fields)."""

    def __init__(self):
        super().__init__()
        self.in_main = self.in_form = self.done = False
        self.select = None
        self.fields: dict[str, list[str] | None] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "form" and self.in_main and not self.done:
            self.in_form = (a.get("method") or "").lower() == "post"
        if not self.in_form or not a.get("name"):
            if tag == "option" and self.select is not None:
                self.fields[self.select].append(a.get("value", ""))
            return
        name = a["name"]
        if name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = a.get("type")
            if kind in ("hidden", "radio", "checkbox", "submit"):
                self.fields.setdefault(name, [])
                if self.fields[name] is not None:
                    self.fields[name].append(a.get("value", "on"))
            elif kind in TEXT_INPUTS or kind == "date":
                self.fields[name] = None
        elif tag == "textarea":
            self.fields[name] = None
        elif tag == "select":
            self.select = name
            self.fields[name] = []
        elif tag == "button":
            self.fields.setdefault(name, [a.get("value", "")])

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "select":
            self.select = None


def _form_rows():
    rows = []
    for row in all_access_rows():
        if row.method != "get" or not row.html or row.other_ok_status not in (200, 302, 400):
            continue
        poster = next(
            (
                role
                for role in POSTERS
                if expected_status(row, role, method="get", other_programme=False) == 200
            ),
            None,
        )
        if poster is not None:
            rows.append(pytest.param(row, poster, id=row.url_name))
    return rows


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if _is_project_model(model)
    }


@pytest.fixture
def world(rolled_back_module_world, db):
    """One world for the whole module (tests/conftest.py): every example is rolled back."""
    return rolled_back_module_world


@pytest.mark.parametrize(("row", "poster"), _form_rows())
def test_hostile_values_never_give_a_500_and_a_refused_form_saves_nothing(world, row, poster):
    client = MatrixClient().sign_in(None if poster == ANONYMOUS else world.users[poster])
    url = reverse(row.url_name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query
    page = client.get(url)
    assert page.status_code == 200, url
    parser = FormFields()
    parser.feed(page.content.decode())
    fields = list(parser.fields.items())
    if not fields:
        pytest.skip(f"{url} has no form for {poster}")
    before = _row_counts()

    @settings(max_examples=4, deadline=None, derandomize=True, database=None)
    @given(
        typed=st.lists(HOSTILE, min_size=len(fields), max_size=len(fields)),
        use_choice=st.lists(st.booleans(), min_size=len(fields), max_size=len(fields)),
    )
    def post_hostile_values(typed, use_choice):
        posted = {}
        for (name, choices), value, choose in zip(fields, typed, use_choice, strict=True):
            if choices and (choose or name.endswith(("version", "submission_key"))):
                posted[name] = choices[len(value) % len(choices)]
            else:
                posted[name] = value
        # Each example starts from the same data: whatever a valid post saved is rolled back.
        with transaction.atomic():
            response = client.post(url, posted)
            assert response.status_code < 500, (url, posted)
            if b"govuk-error-summary" in response.content:
                after = _row_counts()
                changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                assert not changed, f"a refused form saved rows: {changed}"
            transaction.set_rollback(True)

    post_hostile_values()
