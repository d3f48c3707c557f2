"""The report's one-page summary, drawn from a frozen snapshot's sections: the same for the web
page, the PDF and the spreadsheet, and for reports compiled before it existed."""

from cpw.core import formatting


def report_summary(snapshot: dict) -> dict:
    sections = {s["key"]: s["data"] for s in snapshot.get("sections", [])}
    headline = sections.get("headline") or {}
    evaluation = sections.get("evaluation") or {}
    escalations = []
    if headline.get("turned_red"):
        n = len(headline["turned_red"])
        escalations.append(f"{n} commitment{'' if n == 1 else 's'} turned red this quarter")
    overdue = headline.get("overdue_milestones")
    if overdue:
        n = len(overdue)
        escalations.append(
            f"{n} milestone{'' if n == 1 else 's'} overdue "
            f"(across {len({c for m in overdue for c in m['commitments']})} commitments)"
        )
    if headline.get("missing"):
        n = headline["missing"]
        escalations.append(f"{n} update{' is' if n == 1 else 's are'} missing")
    stale = [
        {
            "name": r["name"],
            "value": formatting.metric_value(r["latest"], r.get("unit_value", "")),
            "latest_label": r["latest_label"],
        }
        for r in evaluation.get("rows", [])
        if r.get("stale")
    ]
    return {
        "headline": headline,
        "escalations": escalations,
        "stale_figures": stale,
        "not_comparable": (headline.get("change") or {}).get("not comparable", 0),
    }
