"""The council boundary in the API (issue 11's walk, on the API's URLs): no API answer (JSON,
CSV or XLSX) shows one council's staff anything of the other council."""

import dataclasses

from tests.test_council_isolation import (  # noqa: F401
    GET_ROWS,
    _walk,
    councils_world,
    two_councils,
)

API_ROWS = [row for row in GET_ROWS if row.url_name.startswith("api:")]
FEED_ROWS = [
    dataclasses.replace(row, query=f"?format={fmt}")
    for row in API_ROWS
    if row.url_name.endswith("-list")
    for fmt in ("csv", "xlsx")
]


def test_no_api_answer_shows_another_councils_things(two_councils):  # noqa: F811
    assert len(API_ROWS) > 40 and len(FEED_ROWS) == 34
    leaks = _walk(two_councils, API_ROWS + FEED_ROWS).leaks
    assert not leaks, "API answers that show another council's things:\n" + "\n".join(
        f"{url} as {role}: {kind} {marker!r}" for _, url, role, kind, marker in leaks
    )
