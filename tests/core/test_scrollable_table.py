"""The one way a table goes on a page: {% scrollable_table %} (issue 14, phones)."""

import re

from django.template import Context, Template


def _render(source: str, **context) -> str:
    return Template("{% load portal %}" + source).render(Context(context))


def test_the_region_is_focusable_and_named_after_the_caption():
    html = _render(
        "{% scrollable_table %}<table><caption class='govuk-table__caption'>Grants in "
        "{{ place }}</caption></table>{% endscrollable_table %}",
        place="Lillington & Cubbington",
    )
    assert html.startswith(
        '<div class="app-table-wrapper" tabindex="0" role="region" '
        'aria-label="Grants in Lillington &amp; Cubbington"><table>'
    )
    assert html.endswith("</table></div>")


def test_a_label_can_be_given():
    html = _render('{% scrollable_table "Scores" %}<table></table>{% endscrollable_table %}')
    assert 'aria-label="Scores"' in html


def test_the_stylesheet_lets_the_region_scroll_sideways():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    (rule,) = re.findall(r"^\.app-table-wrapper \{([^}]*)\}", css, re.MULTILINE)
    declarations = {d.strip() for d in rule.split(";") if d.strip()}
    assert "overflow-x: auto" in declarations
    # Visually hidden text inside a cell is positioned absolutely: the region must contain it,
    # or it escapes the scrolling and widens the page on a phone.
    assert "position: relative" in declarations
