"""The printed report's building blocks: plain dicts (JSON) that reporting/typst/report.typ lays
out. A heading ("h"), a paragraph ("p"), a bullet list ("ul"), a definition list ("dl"), a table,
a chart (an SVG and its text alternative), a group kept on one page when it fits ("keep"), the
contents list and a page break. Text is a list of runs: a string, or a dict with "t" (the text)
and "b" (bold) or "s" (small), or BREAK (a line break). Each report section prints itself with
these (ReportSection.printed), as its template shows it on the web page."""


def bold(text) -> dict:
    return {"t": str(text), "b": True}


def small(text) -> dict:
    return {"t": str(text), "s": True}


BREAK = {"br": True}


def heading(
    level: int, text: str, label: str = "", tag: dict | None = None, minor: bool = False
) -> dict:
    """A heading; `tag` is a RAG tag after the text ({"t": "Amber", "rag": "amber"}); a minor
    heading is set smaller (the page's govuk-heading-s)."""
    return {"k": "h", "level": level, "text": text, "label": label, "tag": tag, "minor": minor}


def para(*runs, small_text: bool = False) -> dict:
    return {"k": "p", "runs": list(runs), "small": small_text}


def bullets(items: list[list]) -> dict:
    return {"k": "ul", "items": items}


def keep(*blocks) -> dict:
    return {"k": "keep", "blocks": [b for b in blocks if b]}


def column(label: str, numeric: bool = False, width: str = "1fr") -> dict:
    return {"label": label, "numeric": numeric, "width": width}


def table(caption: str, columns: list[dict], rows: list[dict], *, size: str = "") -> dict:
    """rows: {"cells": [runs per column], "total": bool}; the first cell heads its row."""
    return {"k": "table", "caption": caption, "columns": columns, "rows": rows, "size": size}


def table_row(*cells, total: bool = False) -> dict:
    return {"cells": [c if isinstance(c, list) else [str(c)] for c in cells], "total": total}


def full_width_row(text: str, columns: int) -> dict:
    return {"cells": [[text]], "span": columns, "total": False}


def chart(svg: str, alt: str) -> dict:
    return {"k": "chart", "svg": svg, "alt": alt}


def lower(value) -> str:
    return str(value or "").lower()


def joined(items, separator: str = "; ", empty: str = "none") -> str:
    items = [str(i) for i in items]
    return separator.join(items) if items else empty


def definitions(items) -> dict:
    """A definition list from (term, text) pairs."""
    return {"k": "dl", "items": [{"term": term, "runs": [text]} for term, text in items]}
