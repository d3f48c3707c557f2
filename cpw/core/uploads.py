"""The one check every upload goes through: what a file is comes from its bytes, never from its
name or what the browser says.

- PDF starts `%PDF-`; PNG and JPEG by their signatures.
- CSV and text decode as UTF-8 and hold no NUL bytes.
- Word, Excel and PowerPoint files are opened as zips: `[Content_Types].xml` must declare the
  main content type of the kind (e.g. spreadsheetml.sheet.main+xml) for a part that is in the
  zip (e.g. /xl/workbook.xml). Any other zip, or one that would unpack to more than
  MAX_UNPACKED_BYTES or at a ratio over MAX_RATIO (a zip bomb), is refused before anything
  reads its contents. An OpenDocument text file is a zip whose `mimetype` says so.

`check_upload` (an UploadedFile) and `check_bytes` (bytes already read) return the detected kind,
which is also the extension to store the file under. `UploadValidator` does the same as a form
field validator. Messages follow the GOV.UK file upload pattern.
"""

import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # everything in an Office file, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, for a member bigger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    name: str  # as the user reads it in "The selected file must be a …"
    extensions: tuple[str, ...]  # the first is the one a file is stored under


KINDS = {
    "pdf": Kind("PDF", (".pdf",)),
    "docx": Kind("Word document", (".docx",)),
    "xlsx": Kind("Excel spreadsheet", (".xlsx",)),
    "pptx": Kind("PowerPoint presentation", (".pptx",)),
    "odt": Kind("OpenDocument text", (".odt",)),
    "csv": Kind("CSV", (".csv",)),
    "txt": Kind("text file", (".txt",)),
    "jpg": Kind("JPG", (".jpg", ".jpeg")),
    "png": Kind("PNG", (".png",)),
}

DOCUMENTS = ("pdf", "docx", "xlsx", "jpg", "png")
EVIDENCE = ("pdf", "docx", "xlsx", "pptx", "odt", "csv", "txt", "jpg", "png")
IMAGES = ("jpg", "png")
TABLES = ("csv", "xlsx")

OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
ODF_MIMETYPES = {"odt": b"application/vnd.oasis.opendocument.text"}
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
]


def describe(kinds: Iterable[str]) -> str:
    """'a PDF, Word document, JPG or PNG' for the kinds given."""
    names = [KINDS[k].name for k in kinds]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"an {listed}" if listed[:1] in "AEIOU" and not listed.startswith("U") else f"a {listed}"


def size_label(max_bytes: int) -> str:
    if max_bytes >= 1024**2:
        return f"{max_bytes // 1024**2} MB"
    return f"{max_bytes // 1024} KB"


def check_upload(
    upload, *, kinds: Iterable[str], max_bytes: int = MAX_BYTES, match_name: bool = True
) -> str:
    """Check an uploaded file (anything with .read(), .name, .size) and return its kind, one of
    `kinds`. With `match_name` the file's name must also end as its kind does (.pdf for a PDF),
    so a file is never served under a name that claims another type."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(f"The selected file must be smaller than {size_label(max_bytes)}")
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(max_bytes + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return check_bytes(
        content,
        name=getattr(upload, "name", "") or "",
        kinds=kinds,
        max_bytes=max_bytes,
        match_name=match_name,
    )


def check_bytes(
    content: bytes,
    *,
    name: str,
    kinds: Iterable[str],
    max_bytes: int = MAX_BYTES,
    match_name: bool = True,
) -> str:
    kinds = tuple(kinds)
    wrong_kind = ValidationError(f"The selected file must be {describe(kinds)}")
    if len(content) > max_bytes:
        raise ValidationError(f"The selected file must be smaller than {size_label(max_bytes)}")
    if not content:
        raise ValidationError("The selected file is empty")
    suffix = Path(name).suffix.lower()
    kind = _sniff(content, suffix=suffix, kinds=kinds)
    if kind is None or kind not in kinds:
        raise wrong_kind
    if match_name and suffix not in {e for k in kinds for e in KINDS[k].extensions}:
        raise wrong_kind
    if match_name and suffix not in KINDS[kind].extensions:
        raise ValidationError(
            f"The selected file is {describe([kind])} but its name ends '{suffix}'. "
            f"Rename it to end {KINDS[kind].extensions[0]}"
        )
    return kind


def _sniff(content: bytes, *, suffix: str, kinds: tuple[str, ...]) -> str | None:
    for signature, kind in SIGNATURES:
        if content.startswith(signature):
            return kind
    if content.startswith(b"PK\x03\x04"):
        return zip_kind(content)
    if is_text(content):
        if suffix == ".csv" or ("csv" in kinds and "txt" not in kinds):
            return "csv"
        return "txt"
    return None


def is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def zip_kind(content: bytes) -> str | None:
    """docx, xlsx, pptx or odt when the zip is really one of them, else None. Raises
    ValidationError for a zip that would unpack too big (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_unpacked_size(archive)
            names = set(archive.namelist())
            if "mimetype" in names and "content.xml" in names:
                mimetype = _read_small(archive, "mimetype").strip()
                return next((k for k, m in ODF_MIMETYPES.items() if m == mimetype), None)
            if "[Content_Types].xml" not in names:
                return None
            declared = _main_parts(_read_small(archive, "[Content_Types].xml"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError):
        return None
    for kind, content_type in OOXML_MAIN.items():
        parts = declared.get(content_type, ())
        if any(part.lstrip("/") in names for part in parts):
            return kind
    return None


def check_unpacked_size(
    archive: zipfile.ZipFile,
    *,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_ratio: int = MAX_RATIO,
) -> None:
    """Refuse a zip that would unpack to more than `max_unpacked` bytes, or any member of which
    unpacks at more than `max_ratio` times its packed size, before anything is unpacked.
    (Python's zipfile stops reading a member at its declared size, so the declared sizes are a
    true bound.)"""
    refusal = ValidationError(
        "The selected file unpacks to far more data than a spreadsheet or document of its size "
        "should, so it was not opened. Save it again from Excel or Word and upload the new file"
    )
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if total > max_unpacked:
            raise refusal
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise refusal


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > MAX_CONTENT_TYPES_BYTES:
        return b""
    return archive.read(name)


def _main_parts(xml: bytes) -> dict[str, list[str]]:
    """{content type: [part names]} from the Override elements of [Content_Types].xml."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        return {}
    try:
        # no DTD (refused above), so no entity expansion or external entities to abuse
        root = ElementTree.fromstring(xml)  # noqa: S314
    except ElementTree.ParseError:
        return {}
    parts: dict[str, list[str]] = {}
    for override in root.iter(f"{CONTENT_TYPES_NS}Override"):
        content_type = override.get("ContentType", "")
        parts.setdefault(content_type, []).append(override.get("PartName", ""))
    return parts


@deconstructible
class UploadValidator:
    """A form (or model) field validator: `validators=[UploadValidator(EVIDENCE)]`."""

    def __init__(self, kinds: Iterable[str], max_bytes: int = MAX_BYTES, match_name: bool = True):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes
        self.match_name = match_name

    def __call__(self, upload) -> None:
        check_upload(upload, kinds=self.kinds, max_bytes=self.max_bytes, match_name=self.match_name)

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (
            self.kinds,
            self.max_bytes,
            self.match_name,
        ) == (other.kinds, other.max_bytes, other.match_name)


def safe_name(extension: str) -> str:
    """A random file name to store an upload under, with the extension of its detected kind."""
    return f"{uuid.uuid4().hex}.{extension}"


def display_name(name: str) -> str:
    """The user's file name, kept only for display, stripped of paths and odd characters."""
    base = (name or "file").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isalnum() or c in " ._-()")[:150].strip()
    return cleaned or "file"
