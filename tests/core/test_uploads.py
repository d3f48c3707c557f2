"""The one upload check (cpw.core.uploads): what a file is comes from its bytes."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cpw.core import uploads
from cpw.core.uploads import DOCUMENTS, EVIDENCE, check_upload, display_name
from tests.core.files import (
    EXECUTABLE,
    FAKE_XLSX,
    JPEG,
    PDF,
    PNG,
    docx_bytes,
    ooxml,
    pptx_bytes,
    xlsx_bytes,
    zip_bytes,
)


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("plan.pdf", PDF, "pdf"),
        ("photo.jpeg", JPEG, "jpg"),
        ("photo.png", PNG, "png"),
        ("budget.docx", docx_bytes(), "docx"),
        ("budget.xlsx", xlsx_bytes(), "xlsx"),
        ("slides.pptx", pptx_bytes(), "pptx"),
        ("notes.txt", "Minutes — 3 May\n".encode(), "txt"),
        ("figures.csv", b"\xef\xbb\xbfa,b\n1,2\n", "csv"),
        (
            "report.odt",
            zip_bytes(
                {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}
            ),
            "odt",
        ),
    ],
)
def test_genuine_files_pass_as_what_their_bytes_are(name, content, kind):
    assert check_upload(SimpleUploadedFile(name, content), kinds=EVIDENCE) == kind


def test_a_real_openpyxl_workbook_passes():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["a", 1])
    workbook.save(buffer)
    assert uploads.check_bytes(buffer.getvalue(), name="a.xlsx", kinds=EVIDENCE) == "xlsx"


@pytest.mark.parametrize(
    "name,content",
    [
        ("setup.pdf", EXECUTABLE),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\x00"),
        ("tools.docx", zip_bytes({"evil.exe": "MZ"})),
        ("fake.xlsx", FAKE_XLSX),  # [Content_Types].xml and an xl/ entry, but no workbook
        ("fake.docx", zip_bytes({"[Content_Types].xml": "x", "word/document.xml": "x"})),
        # declares a workbook that is not in the zip
        ("hollow.xlsx", ooxml("xlsx", {"xl/other.xml": "<x/>"}, main_part=False)),
        # declares Word's main part but holds Excel's
        (
            "mixed.docx",
            zip_bytes(
                {
                    "[Content_Types].xml": ooxml("docx", {}, raw_types=True),
                    "xl/workbook.xml": "<x/>",
                }
            ),
        ),
        ("page.pdf", b"<html><script>alert(1)</script>\x00"),
        ("latin.txt", "caf\xe9".encode("latin-1")),
    ],
)
def test_other_files_are_refused_whatever_their_name(name, content):
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile(name, content), kinds=EVIDENCE)
    assert caught.value.messages == [
        "The selected file must be a PDF, Word document, Excel spreadsheet, PowerPoint "
        "presentation, OpenDocument text, CSV, text file, JPG or PNG"
    ]


def test_a_kind_not_allowed_for_the_field_is_refused():
    with pytest.raises(ValidationError, match="must be a JPG or PNG"):
        check_upload(SimpleUploadedFile("a.pdf", PDF), kinds=uploads.IMAGES)
    with pytest.raises(ValidationError, match="must be a PDF, Word document"):
        check_upload(SimpleUploadedFile("slides.pptx", pptx_bytes()), kinds=DOCUMENTS)


def test_the_name_must_match_the_bytes_unless_the_field_renames_files():
    renamed = SimpleUploadedFile("photo.pdf", PNG)
    with pytest.raises(ValidationError, match=r"is a PNG but its name ends '\.pdf'"):
        check_upload(renamed, kinds=EVIDENCE)
    assert check_upload(renamed, kinds=EVIDENCE, match_name=False) == "png"


def test_empty_and_oversized_files_are_refused():
    with pytest.raises(ValidationError, match="The selected file is empty"):
        check_upload(SimpleUploadedFile("a.pdf", b""), kinds=DOCUMENTS)
    with pytest.raises(ValidationError, match="must be smaller than 1 KB"):
        check_upload(
            SimpleUploadedFile("a.pdf", PDF + b"0" * 2000), kinds=DOCUMENTS, max_bytes=1024
        )


def test_an_office_zip_bomb_is_refused_from_its_directory():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", ooxml("xlsx", {}, raw_types=True))
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (5 * 1024 * 1024))  # ratio ~1000
    with pytest.raises(ValidationError, match="unpacks to far more data"):
        check_upload(SimpleUploadedFile("bomb.xlsx", buffer.getvalue()), kinds=EVIDENCE)


def test_the_validator_works_on_a_form_field():
    validator = uploads.UploadValidator(uploads.IMAGES)
    validator(SimpleUploadedFile("a.png", PNG))
    with pytest.raises(ValidationError, match="must be a JPG or PNG"):
        validator(SimpleUploadedFile("a.png", EXECUTABLE))
    assert validator == uploads.UploadValidator(uploads.IMAGES)


def test_display_names_lose_paths_and_odd_characters():
    assert display_name("../../etc/pass<wd>.pdf") == "passwd.pdf"
    assert display_name("C:\\Users\\jo\\My plan.pdf") == "My plan.pdf"
