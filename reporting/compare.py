"""What changed between two frozen reports: shown on the review page before publishing, so a
manager sees what the steering group will read that is new since the last published report."""

from cpw.core import formatting


def _sections(snapshot: dict) -> dict:
    return {s["key"]: s["data"] for s in (snapshot or {}).get("sections", [])}


def report_changes(snapshot: dict, previous: dict | None) -> dict:
    """{'headline': [...], 'commitments': [...], 'metrics': [...], 'added': [...],
    'removed': [...]}: plain-English lines, empty lists when nothing changed."""
    if not previous:
        return {}
    now, before = _sections(snapshot), _sections(previous)
    headline, old_headline = now.get("headline") or {}, before.get("headline") or {}
    lines = []
    if headline.get("overall_rag_label") != old_headline.get("overall_rag_label"):
        lines.append(
            f"Overall RAG: {old_headline.get('overall_rag_label') or 'not rated'} → "
            f"{headline.get('overall_rag_label') or 'not rated'}"
        )
    for key, label in (("submitted", "Updates submitted"), ("due", "Commitments due an update")):
        if key in headline and headline.get(key) != old_headline.get(key):
            lines.append(f"{label}: {old_headline.get(key, 'not recorded')} → {headline[key]}")

    rows = {r["id"]: r for r in (now.get("commitments") or {}).get("rows", [])}
    old_rows = {r["id"]: r for r in (before.get("commitments") or {}).get("rows", [])}
    commitments = [
        f"{r['title']}: {old_rows[pk]['rag_label']} → {r['rag_label']}"
        for pk, r in rows.items()
        if pk in old_rows and old_rows[pk]["rag_label"] != r["rag_label"]
    ]
    commitments += [
        f"{r['title']}: status {old_rows[pk]['status'].lower()} → {r['status'].lower()}"
        for pk, r in rows.items()
        if pk in old_rows and old_rows[pk]["status"] != r["status"]
    ]
    metrics = []
    old_metrics = {r["name"]: r for r in (before.get("evaluation") or {}).get("rows", [])}
    for r in (now.get("evaluation") or {}).get("rows", []):
        old = old_metrics.get(r["name"])
        if old is None:
            continue
        unit = r.get("unit_value", "")
        if formatting.to_decimal(old["latest"]) != formatting.to_decimal(r["latest"]):
            metrics.append(
                f"{r['name']}: {formatting.metric_value(old['latest'], unit) or 'no figure'} → "
                f"{formatting.metric_value(r['latest'], unit) or 'no figure'}"
            )
    return {
        "headline": lines,
        "commitments": commitments,
        "metrics": metrics,
        "added": [r["title"] for pk, r in rows.items() if pk not in old_rows],
        "removed": [r["title"] for pk, r in old_rows.items() if pk not in rows],
    }


def missing_updates(snapshot: dict) -> int:
    """How many commitments due an update have none in the report."""
    headline = _sections(snapshot).get("headline") or {}
    if "due" in headline:
        return max(0, headline["due"] - headline["submitted"])
    return max(0, headline.get("commitments", 0) - headline.get("submitted", 0))
