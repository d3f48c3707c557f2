from tests.programmes.fixtures import plan_world  # noqa: F401
