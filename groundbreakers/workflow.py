"""The groundbreaker lifecycle as data: which status may follow which, and who may move it.

proposed → setting up → live → sustained / closed
proposed, setting up, live → did not proceed (or closed)
"""

from .models import GroundbreakerStatus as S

MANAGER = "programme_manager"
LEAD = "lead_officer"

# (from, to): who may make the change
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.PROPOSED, S.SETTING_UP): frozenset({MANAGER}),
    (S.PROPOSED, S.DID_NOT_PROCEED): frozenset({MANAGER}),
    (S.SETTING_UP, S.LIVE): frozenset({MANAGER, LEAD}),
    (S.SETTING_UP, S.DID_NOT_PROCEED): frozenset({MANAGER}),
    (S.LIVE, S.SUSTAINED): frozenset({MANAGER, LEAD}),
    (S.LIVE, S.CLOSED): frozenset({MANAGER, LEAD}),
    (S.SUSTAINED, S.CLOSED): frozenset({MANAGER}),
}


def next_statuses(current: str) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == current]


def allowed(current: str, target: str, actor_roles: set[str]) -> bool:
    return bool(TRANSITIONS.get((current, target), frozenset()) & actor_roles)
