"""Participatory budgeting: residents decide which shortlisted bids a round's pot funds.

- `count.py`: the count, a pure function of the bids and ballots (deterministic tie-breaks);
- `services.py`: every write (settings, shortlisting, casting and entering ballots, confirming
  the result into awards through the fund's own decision and award services);
- `selectors.py`: reads; `forms.py`, `views.py`, `urls.py`: the public and staff pages.
"""
