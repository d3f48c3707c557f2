"""The placeholder checker and filler behind editable emails: generated text, braces and all,
never makes either raise, and filling is bounded however the text repeats a placeholder."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from cpw.core.placeholders import placeholder_errors, placeholder_fill

NAMES = ["reference", "fund"]
VALUES = {"reference": "CPF-0001", "fund": "Fund {0} {fund} }{"}

# Text that leans on the characters str.format interprets, plus any unicode.
hostile = st.lists(
    st.one_of(
        st.sampled_from(["{", "}", ":", "!", ".", "[", "]", "0", ">", "reference", "fund"]),
        st.characters(),
        st.sampled_from(string.printable),
    ),
    max_size=300,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=hostile)
def test_checking_and_filling_never_raise_and_stay_bounded(text):
    errors = placeholder_errors(text, NAMES)
    assert len(errors) <= 5
    filled = placeholder_fill(text, VALUES, limit=500)
    assert len(filled) <= 500


@settings(max_examples=200, deadline=None)
@given(text=hostile)
def test_text_that_passes_the_check_fills_with_no_brace_left_from_the_template(text):
    if placeholder_errors(text, NAMES):
        return
    filled = placeholder_fill(text, {"reference": "R", "fund": "F"}, limit=10_000)
    assert "{" not in filled and "}" not in filled


@given(name=st.sampled_from(NAMES), times=st.integers(min_value=1, max_value=5_000))
def test_repeating_a_placeholder_cannot_make_a_large_result(name, times):
    filled = placeholder_fill(("{" + name + "}") * times, {name: "x" * 10_000}, limit=1_000)
    assert len(filled) <= 1_000


def test_values_are_not_interpreted_again():
    assert placeholder_fill("{fund}", VALUES, limit=100) == "Fund {0} {fund} }{"


def test_unknown_and_formatted_placeholders_are_left_as_written():
    text = "{0} {reference:>3000000} {reference.__class__} { {} {reference}"
    assert placeholder_fill(text, VALUES, limit=1_000) == (
        "{0} {reference:>3000000} {reference.__class__} { {} CPF-0001"
    )
