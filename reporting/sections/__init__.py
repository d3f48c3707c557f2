"""Report sections. A section turns live data into a JSON-serialisable dict when a report is
compiled (`build`), and that frozen dict into spreadsheet rows (`sheets`), HTML (its template)
and the printed report's blocks (`printed`).
The list in settings.REPORT_SECTIONS says which sections a report has, in order."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class Sheet:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    formats: list[str | None] | None = None  # a spreadsheet number format per column


class ReportSection:
    key: str = ""
    title: str = ""

    @property
    def template(self) -> str:
        return f"reports/sections/{self.key}.html"

    def title_for(self, programme) -> str:
        """The section's heading for this programme (some use the programme's own words)."""
        return self.title

    def build(self, *, programme, period, as_of) -> dict:
        raise NotImplementedError

    def sheets(self, data: dict) -> list[Sheet]:
        raise NotImplementedError

    def printed(self, data: dict) -> list[dict]:
        """The section in the printed report (reporting.blocks, from `display`'s data): the same
        content as its template shows on the web page."""
        raise NotImplementedError

    def display(self, data: dict) -> dict:
        """What the section's template shows: the frozen data, plus anything drawn from it
        (chart coordinates), worked out afresh each time it is shown."""
        return data


def configured_sections() -> list[ReportSection]:
    return [import_string(path)() for path in settings.REPORT_SECTIONS]


def section_by_key(key: str) -> ReportSection | None:
    return next((s for s in configured_sections() if s.key == key), None)
