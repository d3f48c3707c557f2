from django import template

register = template.Library()

STATUS_COLOURS = {
    "proposed": "govuk-tag--grey",
    "setting_up": "govuk-tag--blue",
    "live": "govuk-tag--green",
    "sustained": "govuk-tag--turquoise",
    "closed": "govuk-tag--purple",
    "did_not_proceed": "govuk-tag--red",
    "worked": "govuk-tag--green",
    "partly": "govuk-tag--yellow",
    "did_not_work": "govuk-tag--red",
    "too_early": "govuk-tag--grey",
    "green": "govuk-tag--green",
    "amber": "govuk-tag--orange",
    "red": "govuk-tag--red",
    "complete": "govuk-tag--blue",
    "draft": "govuk-tag--grey",
    "submitted": "govuk-tag--green",
}


@register.filter
def tag_colour(value) -> str:
    return STATUS_COLOURS.get(str(value), "govuk-tag--grey")


@register.filter
def number(value) -> str:
    """1234 -> '1,234'; 60.0 -> '60'; 2.5 -> '2.5'."""
    if value is None or value == "":
        return ""
    if hasattr(value, "normalize") or isinstance(value, float):
        as_float = float(value)
        if as_float.is_integer():
            return f"{int(as_float):,}"
        return f"{as_float:,.1f}"
    return f"{int(value):,}"
