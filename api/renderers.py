"""CSV and XLSX feeds of any API answer, for Excel and Power BI "From web": nested objects
become dotted columns (`latest_update.rag`), lists of values are joined with "; ", and the
portal's one formula guard (cpw.core.tabular) applies to every cell."""

from rest_framework import renderers

from cpw.core import tabular


def _label(item) -> str:
    if isinstance(item, dict):
        for key in ("name", "title", "label", "reference"):
            if item.get(key) not in (None, ""):
                return str(item[key])
        return ", ".join(f"{k}: {v}" for k, v in item.items() if not isinstance(v, (dict, list)))
    return "" if item is None else str(item)


def flatten(record, prefix: str = "") -> dict:
    """One row of a table from one (nested) API object."""
    row = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            row[name] = "; ".join(_label(item) for item in value)
        else:
            row[name] = value
    return row


def table(data) -> tuple[list[str], list[list]]:
    """Headings and rows for a list of objects (or one object, or an error)."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    records = data if isinstance(data, list) else [data]
    rows = [
        flatten(record) if isinstance(record, dict) else {"value": record} for record in records
    ]
    headers: list[str] = []
    for row in rows:
        for key in row:
            if key not in headers:
                headers.append(key)
    return headers, [[row.get(h) for h in headers] for row in rows]


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        headers, rows = table(data)
        return tabular.write_csv(headers, rows)


class XLSXRenderer(renderers.BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        headers, rows = table(data)
        view = (renderer_context or {}).get("view")
        title = getattr(view, "feed_name", "") or "Data"
        return tabular.write_xlsx(tabular.Sheet(title=title, headers=headers, rows=rows))


class FileRenderer(renderers.BaseRenderer):
    """For an action that answers with a stored file (the view gives the bytes): the media type
    it answers in, for content negotiation and the schema. Errors are JSON (ApiViewSet)."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class PDFRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class XLSXFileRenderer(FileRenderer):
    media_type = XLSXRenderer.media_type
    format = "xlsx"
