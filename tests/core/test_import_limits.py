"""Imports are bounded in time and memory: a zip bomb is refused from the zip's directory before
openpyxl parses anything, a row flood at the row cap, and only the first 100 errors are kept."""

import time

import pytest
from django.core.exceptions import ValidationError

from cpw.core import tabular
from tests.core.bounds import measured
from tests.core.files import csv_flood, zip_bomb_xlsx


@pytest.fixture(scope="module")
def bomb():
    started = time.perf_counter()
    content = zip_bomb_xlsx(300)
    assert len(content) < 2 * 1024 * 1024, "a small file…"
    assert time.perf_counter() - started < 5
    return content


def test_a_zip_bomb_xlsx_is_refused_before_it_is_parsed(bomb, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(tabular, "load_workbook", never)
    with measured() as m, pytest.raises(ValidationError) as refused:
        tabular.read_dicts(bomb, name="figures.xlsx")
    assert "unpacks to far more data" in refused.value.messages[0]
    m.assert_bounded()


def test_a_zip_bomb_under_the_total_is_still_refused_by_its_ratio():
    content = zip_bomb_xlsx(20)  # 20 MB at a ratio of several hundred
    with measured() as m, pytest.raises(ValidationError, match="unpacks to far more data"):
        tabular.read_dicts(content, name="figures.xlsx")
    m.assert_bounded()


def test_a_200000_row_csv_is_refused_at_the_row_cap():
    content = csv_flood(200_000)
    with measured() as m, pytest.raises(ValidationError, match="more than 5000 rows"):
        tabular.read_dicts(content, name="figures.csv")
    m.assert_bounded()
    assert m.seconds < 2


def test_row_errors_keep_the_first_100_and_count_the_rest():
    errors = tabular.RowErrors()
    for number in range(2, 10_002):
        errors.append(tabular.RowError(number, "value", "Enter a value"))
    rejected = tabular.ImportRejected(errors)
    assert len(rejected.row_errors) == 100 and rejected.row_errors[-1].row == 101
    assert rejected.total == 10_000 and rejected.more == 9_900
    assert rejected.more_message == "and 9,900 more errors"
    assert "The file has 10,000 errors" in rejected.messages[0]
    assert tabular.cap_messages(["x"] * 101) == ["x"] * 100 + ["and 1 more error"]
    assert tabular.cap_messages(["x"] * 100) == ["x"] * 100
