"""The printed report carries the same content as the report's web page, lays out text from
the snapshot only as text, and is fast enough to compile at county scale."""

import html.parser
import io
import re
import subprocess

import pdfplumber
import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from reporting.models import QuarterlyReport, ReportStatus
from reporting.printed import printed_report, printed_text, render_pdf
from reporting.render import report_context

pytestmark = pytest.mark.django_db

# What the web page shows as text, element by element (a chart's own drawing is left out: its
# figures are in the table beside it, on the page and in print).
TEXT_ELEMENTS = {"h1", "h2", "h3", "caption", "th", "td", "li", "dt", "dd", "p"}


class PageText(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.texts, self.in_svg = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.in_svg += 1
        elif tag == "br":
            for parts in self.stack:
                parts[1].append(" ")
        elif tag in TEXT_ELEMENTS and not self.in_svg:
            self.stack.append((tag, []))

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg -= 1
        elif tag in TEXT_ELEMENTS and self.stack and self.stack[-1][0] == tag:
            _, parts = self.stack.pop()
            text = " ".join("".join(parts).split())
            if text:
                self.texts.append(text)

    def handle_data(self, data):
        if not self.in_svg:
            for parts in self.stack:
                parts[1].append(data)


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def demo_report(settings):
    settings.SETTINGS_MODULE = "cpw.settings.test"  # load_demo's production guard
    call_command("load_demo")
    return QuarterlyReport.objects.get(status=ReportStatus.PUBLISHED)


def test_the_printed_report_says_everything_the_web_page_says(demo_report):
    snapshot = demo_report.snapshot
    page = PageText()
    page.feed(render_to_string("reports/_report_body.html", report_context(snapshot)))
    printed = _words(printed_text(printed_report(snapshot)))
    assert len(page.texts) > 200
    missing = [text for text in page.texts if text not in printed]
    assert not missing, missing[:10]


def test_what_the_demo_does_not_reach_is_printed_as_the_page_shows_it_too(demo_report):
    """The branches the demo report leaves out: high risks, learning entries, residents' votes
    (confirmed and not), a groundbreaker's update, an overdue list from a report compiled
    before milestones were listed, and one without the exceptions table."""
    snapshot = demo_report.snapshot
    data = {s["key"]: s["data"] for s in snapshot["sections"]}
    data["risks"]["rows"] = [
        {
            "commitment": "Warm spaces",
            "description": "Volunteers leave",
            "score": 20,
            "likelihood": 4,
            "impact": 5,
            "owner": "Aisha Khan",
            "mitigation": "Recruit through the parish councils",
        },
        {
            "commitment": "Libraries",
            "description": "Funding ends",
            "score": 16,
            "likelihood": 4,
            "impact": 4,
            "owner": "",
            "mitigation": "",
        },
    ]
    data["learning"]["rows"] = [
        {
            "title": "Street stalls",
            "groundbreaker": "Highways to Help",
            "outcome": "Did not work",
            "what_we_tried": "Stalls on market day",
            "what_happened": "Few people stopped",
            "what_we_would_do_differently": "Knock on doors instead",
        },
        {
            "title": "Coffee mornings",
            "groundbreaker": "",
            "outcome": "Worked",
            "what_we_tried": "Monthly mornings",
            "what_happened": "Forty came",
            "what_we_would_do_differently": "",
        },
    ]
    data["funds"]["votes"] = {
        "money_this_period": "25000",
        "turnout_this_period": "12.5",
        "rows": [
            {
                "fund": "Residents Decide",
                "round": "Camp Hill 2026",
                "pot": "25000",
                "online": 310,
                "paper": 45,
                "spoilt": 3,
                "turnout": "12.5",
                "confirmed": True,
                "decided": "24500",
                "grants": 4,
            },
            {
                "fund": "Residents Decide",
                "round": "Bulkington 2026",
                "pot": "10000",
                "online": 12,
                "paper": 0,
                "spoilt": 0,
                "turnout": None,
                "confirmed": False,
                "decided": "0",
                "grants": 0,
            },
        ],
    }
    row = data["groundbreakers"]["rows"][0]
    row["summary"], row["next_steps"] = "Two street surgeries held.\nBoth full.", "A third in May."
    headline = data["headline"]
    headline.pop("exceptions", None)
    headline.pop("overdue_milestones", None)
    headline["overdue"] = [
        {
            "title": "Warm spaces",
            "due": "2026-06-30",
            "milestones": [{"title": "Open ten spaces", "due": "2026-05-31"}],
        }
    ]

    page = PageText()
    page.feed(render_to_string("reports/_report_body.html", report_context(snapshot)))
    printed = _words(printed_text(printed_report(snapshot)))
    for text in [
        "Volunteers leave",
        "Knock on doors instead",
        "Bulkington 2026",
        "A third in May.",
    ]:
        assert any(text in shown for shown in page.texts), text
    missing = [text for text in page.texts if text not in printed]
    assert not missing, missing[:10]


def test_text_from_the_snapshot_is_printed_as_it_was_typed(demo_report):
    """An update may hold anything a person typed, Typst's markup included: it is printed
    as text, never run."""
    snapshot = demo_report.snapshot
    commitments = next(s for s in snapshot["sections"] if s["key"] == "commitments")
    typed = '#read("/etc/passwd") *not bold* $x^2$ <label> @ref = heading \\ end'
    commitments["data"]["rows"][0]["what_happened"] = typed
    with pdfplumber.open(io.BytesIO(render_pdf(snapshot))) as pdf:
        text = _words(" ".join(page.extract_text() or "" for page in pdf.pages))
    assert _words(typed) in text
    assert "root:" not in text


@pytest.mark.real_pdf
def test_the_same_snapshot_prints_the_same_bytes(demo_report):
    first, second = render_pdf(demo_report.snapshot), render_pdf(demo_report.snapshot)
    assert first == second
    assert re.search(rb"/Type\s*/Page(?![a-zA-Z])", first)


@pytest.mark.real_pdf
def test_a_blank_heading_still_prints_the_report_tagged(demo_report, caplog):
    """PDF/UA-1 refuses a blank heading; the report is written all the same (tagged, without
    claiming the standard) and the reason is logged."""
    snapshot = demo_report.snapshot
    commitments = next(s for s in snapshot["sections"] if s["key"] == "commitments")
    commitments["data"]["rows"][0]["title"] = ""
    pdf = render_pdf(snapshot)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout.decode(), re.M)
    assert "without PDF/UA-1" in caplog.text and "heading title is empty" in caplog.text
