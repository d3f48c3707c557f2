import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds.uploads import display_name, validate_upload


def _zip(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,content,extension",
    [
        ("plan.pdf", b"%PDF-1.7 rest", "pdf"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0rest", "jpg"),
        ("photo.png", b"\x89PNG\r\n\x1a\nrest", "png"),
        ("budget.docx", _zip({"[Content_Types].xml": "x", "word/document.xml": "x"}), "docx"),
        ("budget.xlsx", _zip({"[Content_Types].xml": "x", "xl/workbook.xml": "x"}), "xlsx"),
        ("renamed.pdf", _zip({"[Content_Types].xml": "x", "xl/workbook.xml": "x"}), "xlsx"),
    ],
)
def test_the_type_comes_from_the_bytes(name, content, extension):
    assert validate_upload(SimpleUploadedFile(name, content)) == extension


@pytest.mark.parametrize(
    "name,content",
    [
        ("setup.pdf", b"MZ\x90\x00rest"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /"),
        ("tools.docx", _zip({"evil.exe": "MZ"})),
        ("page.pdf", b"<html><script>alert(1)</script>"),
    ],
)
def test_other_files_are_refused_whatever_their_name(name, content):
    with pytest.raises(ValidationError, match="must be a PDF"):
        validate_upload(SimpleUploadedFile(name, content))


def test_empty_files_are_refused():
    with pytest.raises(ValidationError, match="empty"):
        validate_upload(SimpleUploadedFile("a.pdf", b""))


def test_display_names_lose_paths_and_odd_characters():
    assert display_name("../../etc/pass<wd>.pdf") == "passwd.pdf"
    assert display_name("C:\\Users\\jo\\My plan.pdf") == "My plan.pdf"


def test_a_monitoring_photo_opens_from_the_grant_page_for_those_who_may_see_the_grant(
    world, client_as
):
    photo = world.funds.photo
    award = world.funds.award
    page = client_as(world.users["partner"]).get(reverse("funds:grant-detail", args=[award.pk]))
    url = reverse("funds:monitoring-photo", args=[award.pk, photo.report_id, photo.pk])
    assert url in page.content.decode()
    response = client_as(world.users["officer"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client_as(world.users["outsider"]).get(url).status_code == 404
