"""Text that people write with {name} placeholders (emails), checked when it is saved and filled
in when it is sent.

Why not `str.format`: it interprets what the writer typed. `{` alone or `{0}` raises at send
time, `{reference.__class__}` reaches attributes and `{reference:>3000000}` pads to megabytes.
Why not Django's template engine: it is a language too (`{{ reference|rjust:"3000000" }}`,
`{% for %}`), it HTML-escapes plain-text email, and stored wording already uses `{name}`.

So the syntax here is the smallest that works: `{name}`, where name is one of a fixed list, and
nothing else in curly brackets. `placeholder_errors` says what is wrong in plain English;
`placeholder_fill` replaces the known names from a dict, leaves every other character as it is,
never raises, and stops at a size limit however often a placeholder is repeated.
"""

import re
from collections.abc import Iterable, Mapping

# A brace pair with no brace inside, or a brace on its own.
_TOKEN = re.compile(r"\{\{([^{}]*)\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"\{([a-z_]{1,40})\}")
_QUOTE_MAX = 30


def _quoted(found: str) -> str:
    return found if len(found) <= _QUOTE_MAX else found[: _QUOTE_MAX - 1] + "…"


def placeholders_listed(names: Iterable[str]) -> str:
    return ", ".join("{" + name + "}" for name in names)


def placeholder_errors(text: str, names: Iterable[str]) -> list[str]:
    """What is wrong with the curly brackets in `text`, one message per problem (first 5).
    An empty list means every `{…}` in it is one of `names`."""
    names = list(names)
    allowed = set(names)
    listed = placeholders_listed(names)
    errors: list[str] = []
    for match in _TOKEN.finditer(text):
        found = match.group(0)
        doubled, inner = match.group(1), match.group(2)
        if found == "{":
            message = (
                "Remove the '{' that is not part of a placeholder, or close it with '}'. "
                f"Use only these placeholders: {listed}"
            )
        elif found == "}":
            message = (
                "Remove the '}' that is not part of a placeholder, or open it with '{'. "
                f"Use only these placeholders: {listed}"
            )
        elif doubled is not None:
            name = doubled.strip()
            example = "{" + name + "}" if name in allowed else "{" + names[0] + "}"
            message = f"Use single curly brackets around a placeholder, like {example}"
        elif inner in allowed:
            continue
        elif inner.strip() in allowed:
            message = f"Remove the spaces inside the curly brackets: write {{{inner.strip()}}}"
        else:
            base = re.split(r"[.\[:!]", inner, maxsplit=1)[0].strip()
            if base in allowed and any(c in inner for c in ".[:!"):
                message = (
                    f"Write the placeholder {{{base}}} on its own, without anything after "
                    f"the name — '{_quoted(found)}' is not allowed"
                )
            else:
                message = (
                    f"Use only these placeholders: {listed} — '{_quoted(found)}' is not one of them"
                )
        if message not in errors:
            errors.append(message)
        if len(errors) == 5:
            break
    return errors


def placeholder_fill(text: str, values: Mapping[str, object], *, limit: int) -> str:
    """`text` with each `{name}` whose name is in `values` replaced by its value; everything else,
    including any other braces, is left exactly as written. The result is at most `limit`
    characters (cut with "…"), and no more than that is ever built. Never raises."""
    strings = {key: str(value) for key, value in values.items()}
    parts: list[str] = []
    size = 0
    position = 0
    for match in _NAME.finditer(text):
        value = strings.get(match.group(1))
        if value is None:
            continue
        for piece in (text[position : match.start()], value):
            parts.append(piece)
            size += len(piece)
        position = match.end()
        if size > limit:
            break
    else:
        parts.append(text[position:])
        size += len(text) - position
    result = "".join(parts)
    if size > limit:
        result = result[: max(limit - 1, 0)] + "…"
    return result
