"""url_builder gives the same addresses as reverse(), one reverse() per kind of row."""

from django.urls import reverse

from cpw.core.links import url_builder


def test_the_built_address_is_the_reversed_one():
    commitment = url_builder("programmes:commitment-detail", pk=int)
    for pk in (1, 42, 987654300):
        assert commitment(pk=pk) == reverse("programmes:commitment-detail", kwargs={"pk": pk})
    detail = url_builder("groundbreakers:detail", programme=str, slug=str)
    assert detail(programme="cpw", slug="warm-spaces-9") == reverse(
        "groundbreakers:detail", kwargs={"programme": "cpw", "slug": "warm-spaces-9"}
    )
