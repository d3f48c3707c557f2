"""Addresses for long lists, built once per kind of row rather than once per row.

`reverse()` walks the URL resolver on every call: a list of 400 commitments calls it 400 times
for one pattern. `url_builder` reverses the pattern once with stand-in values and returns a
function that fills each row's values into that address.
"""

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse


def url_builder(viewname: str, **kinds: type) -> Callable[..., str]:
    """url_builder("programmes:commitment-detail", pk=int)(pk=5) == reverse(..., kwargs={"pk": 5}).
    Each keyword names a URL parameter and its kind (int or str: a slug)."""
    stand_ins = {
        name: (987654300 + i if kind is int else f"zzstandin{i}zz")
        for i, (name, kind) in enumerate(kinds.items())
    }
    address = reverse(viewname, kwargs=stand_ins)
    parts: list[str | tuple[str]] = [address]
    for name, value in stand_ins.items():
        marker = str(value)
        split: list[str | tuple[str]] = []
        for part in parts:
            if isinstance(part, tuple) or marker not in part:
                split.append(part)
                continue
            before, after = part.split(marker, 1)
            split += [before, (name,), after]
        parts = split
    if sum(isinstance(p, tuple) for p in parts) != len(kinds):
        raise ValueError(f"Cannot build {viewname} from stand-in values")

    def build(**values) -> str:
        return "".join(
            quote(str(values[p[0]]), safe="") if isinstance(p, tuple) else p for p in parts
        )

    return build
