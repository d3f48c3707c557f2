"""Safe uploads: the type is sniffed from the file's first bytes (never trusted from its name or
the browser), the size is limited, and files are stored under a random name with the extension
of the detected type."""

import uuid
import zipfile

from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_LABEL = "10 MB"

# signature -> (extension, description)
SIGNATURES = [
    (b"%PDF-", "pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "png", "PNG image"),
    (b"\xff\xd8\xff", "jpg", "JPEG image"),
    (b"PK\x03\x04", "zip-office", "Word or Excel document"),
]
ALLOWED_DESCRIPTION = "a PDF, a Word or Excel document, or a JPEG or PNG image"


def sniff(head: bytes) -> str | None:
    for signature, extension, _ in SIGNATURES:
        if head.startswith(signature):
            return extension
    return None


def validate_upload(upload) -> str:
    """Check an uploaded file and return the extension to store it under; raise ValidationError
    with a plain-English message otherwise."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"The selected file must be smaller than {MAX_UPLOAD_LABEL}")
    if upload.size == 0:
        raise ValidationError("The selected file is empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    extension = sniff(head)
    if extension is None:
        raise ValidationError(f"The selected file must be {ALLOWED_DESCRIPTION}")
    if extension == "zip-office":
        extension = _office_kind(upload)
        if extension is None:
            raise ValidationError(f"The selected file must be {ALLOWED_DESCRIPTION}")
    return extension


def _office_kind(upload) -> str | None:
    """A Word or Excel file is a zip with [Content_Types].xml and a word/ or xl/ part; any
    other zip (an archive of programs, say) is refused."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def safe_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def display_name(name: str) -> str:
    """The user's file name, kept only for display, stripped of paths and odd characters."""
    base = (name or "file").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isalnum() or c in " ._-()")[:150].strip()
    return cleaned or "file"
