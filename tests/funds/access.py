from tests.access import ASSESSOR, STAFF, Access

ACCESS = [
    Access("funds:assessments", frozenset({ASSESSOR, STAFF})),
]
