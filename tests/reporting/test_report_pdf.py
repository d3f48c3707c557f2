"""The demo's published report, printed: A4, nothing past the margins, no near-empty pages,
charts, extractable text, a tagged PDF with its title and language. The one test that renders
the real PDF (through load_demo, which compiles the demo's reports)."""

import io
import re
import subprocess

import pdfplumber
import pytest
from django.core.management import call_command
from pdfminer.pdftypes import resolve1

from reporting.models import QuarterlyReport, ReportStatus

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 16 * MM, 18 * MM, 20 * MM  # reporting/typst/report.typ's page


@pytest.mark.real_pdf
def test_the_demo_report_pdf_is_fit_for_print(settings):
    settings.SETTINGS_MODULE = "cpw.settings.test"  # load_demo's production guard
    call_command("load_demo")
    report = QuarterlyReport.objects.get(status=ReportStatus.PUBLISHED)
    pdf = bytes(report.pdf)

    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    info = info.stdout.decode()
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert report.snapshot["title"] in " ".join(info.split())

    left, right = MARGIN_X - 1, A4[0] - MARGIN_X + 1
    top, bottom = MARGIN_TOP, A4[1] - MARGIN_BOTTOM
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert resolve1(document.doc.catalog["Lang"]) == b"en-GB"
        pages = document.pages
        assert len(pages) >= 2
        page_texts = [page.extract_text() or "" for page in pages]
        text = "\n".join(page_texts)
        fullness, problems = [], []
        for number, page in enumerate(pages, start=1):
            assert (round(page.width), round(page.height)) == (round(A4[0]), round(A4[1]))
            # what is printed (a space that ends a line may sit past the margin: it has no ink)
            ink = [c for c in page.chars if c["text"].strip()]
            things = ink + page.rects + page.lines + page.curves
            wide = [t for t in things if t["x0"] < left or t["x1"] > right]
            if wide:
                problems.append(
                    f"page {number}: {len(wide)} things past the margins, first "
                    f"{wide[0].get('text', wide[0]['object_type'])!r} at "
                    f"{wide[0]['x0']:.1f}-{wide[0]['x1']:.1f}"
                )
            for table in page.find_tables({"vertical_strategy": "text"}):
                x0, _, x1, _ = table.bbox
                if not (left <= x0 and x1 <= right):
                    problems.append(f"page {number}: a table spans {x0:.1f}-{x1:.1f}")
            body = [c for c in page.chars if c["bottom"] <= bottom + 1]
            lowest = max((c["bottom"] for c in body), default=top)
            fullness.append((lowest - top) / (bottom - top))
        # Every page but the last is at least a third full (the last ends where the text does).
        thin = [(n, round(f, 2)) for n, f in enumerate(fullness[:-1], start=1) if f < 1 / 3]
        if thin:
            problems.append(f"near-empty pages (page, share full): {thin}")
        assert not problems, f"{len(pages)} pages: " + "; ".join(problems)
        assert any(page.rects or page.curves for page in pages)  # the charts, drawn as vectors

    assert "Summary" in text and "Decisions and escalations needed" in text
    # Page numbers in the footer of every page, and a contents list that gives each section's
    # page (a dot leader, then the page the section starts on).
    for number, page_text in enumerate(page_texts, start=1):
        assert f"Page {number} of {len(page_texts)}" in page_text
    contents = dict(re.findall(r"^\d+\. (.+?)\.{3,} ?(\d+)$", text, re.M))
    assert int(contents["Summary"]) == 1
    for section in report.snapshot["sections"]:
        start = int(contents[section["title"]])
        assert section["title"] in page_texts[start - 1], section["title"]
    assert "Appendix: every update in full" in contents
    assert "RAG ratings over the last" in text
    for row in next(s for s in report.snapshot["sections"] if s["key"] == "commitments")["data"][
        "rows"
    ]:
        assert row["title"][:30] in " ".join(text.split())
