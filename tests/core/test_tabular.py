"""cpw.core.tabular: bounded reading (size first, the row cap while reading) and writing."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._reader import WorkSheetParser

from cpw.core import tabular


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_over_the_row_cap_is_refused_without_reading_the_rest(monkeypatch):
    cap = 50
    content = xlsx_bytes([["name", "value"], *[[f"row {n}", n] for n in range(cap + 1000)]])
    parsed = []
    original = WorkSheetParser.parse

    def counting_parse(self):
        for row in original(self):
            parsed.append(row)
            yield row

    monkeypatch.setattr(WorkSheetParser, "parse", counting_parse)
    with pytest.raises(ValidationError, match=f"more than {cap} rows"):
        tabular.read_dicts(content, name="big.xlsx", max_rows=cap)
    assert len(parsed) <= cap + 2, f"read {len(parsed)} rows of {cap + 1001} before refusing"


def test_an_xlsx_at_the_cap_is_read_whole():
    content = xlsx_bytes([["name"], *[[f"row {n}"] for n in range(10)]])
    headers, rows = tabular.read_dicts(content, name="ok.xlsx", max_rows=10)
    assert headers == ["name"] and len(rows) == 10


def test_a_csv_over_the_row_cap_is_refused_while_reading(monkeypatch):
    cap = 20
    content = ("name\n" + "".join(f"row {n}\n" for n in range(cap + 5000))).encode()
    seen = []
    original = csv.reader

    def counting_reader(*args, **kwargs):
        for row in original(*args, **kwargs):
            seen.append(row)
            yield row

    monkeypatch.setattr(tabular.csv, "reader", counting_reader)
    with pytest.raises(ValidationError, match=f"more than {cap} rows"):
        tabular.read_lists(content, name="big.csv", max_rows=cap)
    assert len(seen) <= cap + 2


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("a.csv", b"", "The selected file is empty"),
        ("a.csv", b"  \n\n", "The selected file is empty"),
        ("a.csv", b",,\n,,\n", "The selected file is empty"),
        ("a.xlsx", xlsx_bytes([]), "The selected file is empty"),
        ("a.csv", "name\ncafé\n".encode("cp1252"), "not in UTF-8"),
        ("a.csv", "name\nx\n".encode("utf-16"), "not a CSV file"),
        ("a.csv", b"%PDF-1.7 ...", "is a PDF"),
        ("a.csv", xlsx_bytes([["a"]]), "renamed .csv"),
        ("a.xlsx", b"name\nx\n", "not an Excel"),
        ("a.xlsx", b"PK\x03\x04 not really a zip", "damaged"),
        ("a.txt", b"name\nx\n", "must be a CSV or Excel"),
        ("a.csv", b"x" * 20_000, "smaller than 9 KB"),
    ],
)
def test_bad_files_are_refused_with_a_plain_message(name, content, message):
    with pytest.raises(ValidationError, match=message):
        tabular.read_lists(content, name=name, max_bytes=10_000)


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read():
    class Upload(io.BytesIO):
        name, size = "big.csv", 50 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("the file was read")

    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        tabular.read_dicts(Upload(), name="big.csv")


def test_rows_keep_their_numbers_in_the_file_and_headerless_columns_are_dropped():
    upload = SimpleUploadedFile("a.csv", b"\xef\xbb\xbfName, Value ,\n\nA,1,x\n,,\nB,2\n")
    headers, rows = tabular.read_dicts(upload, name=upload.name)
    assert headers == ["Name", "Value", ""]
    assert rows == [(3, {"Name": "A", "Value": "1"}), (5, {"Name": "B", "Value": "2"})]


def test_xlsx_numbers_and_dates_are_read_as_text():
    content = xlsx_bytes([["n", "d", "f"], [3, datetime.date(2024, 3, 31), 2.5]])
    _, rows = tabular.read_dicts(content, name="a.xlsx")
    assert rows == [(2, {"n": "3", "d": "2024-03-31", "f": "2.5"})]


def test_export_then_import_gives_back_what_was_written():
    values = ['=HYPERLINK("http://x","y")', "+44 1926", "-", "@home", "plain", "it's"]
    csv_content = tabular.write_csv(["v"], [[v] for v in values])
    xlsx_content = tabular.write_xlsx(tabular.Sheet("s", ["v"], [[v] for v in values]))
    for name, content in (("a.csv", csv_content), ("a.xlsx", xlsx_content)):
        _, rows = tabular.read_dicts(content, name=name)
        assert [cells["v"] for _, cells in rows] == values


def test_csv_is_utf8_with_a_bom_and_streams_the_same_bytes():
    rows = [["Café", 1, None, datetime.date(2024, 1, 2)]]
    content = tabular.write_csv(["a", "b", "c", "d"], rows)
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig") == "a,b,c,d\r\nCafé,1,,2024-01-02\r\n"
    assert "".join(tabular.stream_csv(["a", "b", "c", "d"], rows)).encode() == content
    assert not tabular.write_csv(["a"], [], bom=False).startswith(b"\xef")


def test_a_workbook_has_several_sheets_with_widths_bold_frozen_headings_and_safe_titles():
    content = tabular.write_xlsx(
        tabular.Sheet("Scores", ["Reference", "Score"], [["A1", 3]], widths=[20, 8]),
        tabular.Sheet("scores", ["x"], []),
        tabular.Sheet("What? [draft]/2024", ["x"], [], intro=[["Title"], []]),
    )
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Scores", "scores 2", "What   draft  2024"]
    first = workbook["Scores"]
    assert first.column_dimensions["A"].width == 20
    assert first["A1"].font.b and first.freeze_panes == "A2"
    third = workbook.worksheets[2]
    assert third["A1"].value == "Title" and third["A3"].value == "x"
    assert third.freeze_panes == "A4"


def test_aware_datetimes_are_written_in_local_time():
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime(2024, 7, 1, 12, 0))
    content = tabular.write_xlsx(tabular.Sheet("s", ["when"], [[moment]]))
    cell = load_workbook(io.BytesIO(content)).active["A2"]
    assert cell.value == timezone.localtime(moment).replace(tzinfo=None)
