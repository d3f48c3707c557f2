"""The plan import's optional ambitions column: names of the programme's own ambitions,
separated by semicolons; an unknown name is a row error and nothing is saved; a file without
the column leaves the commitments' ambitions as they are; the export writes them back."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import plan_io, services
from programmes.models import Ambition, Commitment
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

HEADER = "group,commitment,leads,ambitions\n"


def _import(programme, *rows, header=HEADER):
    content = (header + "".join(r + "\n" for r in rows)).encode()
    return services.delivery_plan_import(
        programme=programme, table=plan_io.read_table("plan.csv", content)
    )


@pytest.fixture
def ambitions(plan_world):
    programme = plan_world.programme
    ProgrammeFactory(slug="elsewhere").ambitions.create(name="Elsewhere's own", order=1)
    return [
        Ambition.objects.create(programme=programme, name="Power to communities", order=1),
        Ambition.objects.create(programme=programme, name="Open council", order=2),
    ]


def test_the_ambitions_column_links_the_programmes_ambitions(plan_world, ambitions):
    summary = _import(
        plan_world.programme,
        "Decision making,Involve residents early,Tom Evans,power to communities; Open council",
        "Decision making,Community panels,,",
    )
    assert (summary.created, summary.updated) == (1, 1)
    early = Commitment.objects.get(title="Involve residents early")
    assert set(early.ambitions.all()) == set(ambitions)
    assert not Commitment.objects.get(title="Community panels").ambitions.exists()
    again = _import(
        plan_world.programme,
        "Decision making,Involve residents early,Tom Evans,Power to communities;Open council",
        "Decision making,Community panels,,",
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_an_unknown_ambition_is_a_row_error_and_nothing_is_saved(plan_world, ambitions):
    with pytest.raises(ValidationError) as error:
        _import(
            plan_world.programme,
            "Decision making,New one,,Open council",
            "Decision making,Another,,Elsewhere's own",
        )
    assert "Row 3: 'Elsewhere's own' is not one of the programme's ambitions" in " ".join(
        error.value.messages
    )
    assert not Commitment.objects.filter(title__in=["New one", "Another"]).exists()


def test_a_file_without_the_column_keeps_the_ambitions(plan_world, ambitions):
    plan_world.commitment.ambitions.set(ambitions)
    _import(
        plan_world.programme,
        "Decision making,Involve residents early,Tom Evans",
        header="group,commitment,leads\n",
    )
    assert set(plan_world.commitment.ambitions.all()) == set(ambitions)


def test_the_template_and_export_have_the_ambitions_column(plan_world, ambitions, client_as):
    plan_world.commitment.ambitions.set(ambitions)
    client = client_as(plan_world.manager)
    slug = plan_world.programme.slug
    template = client.get(reverse("programmes:plan-import-template", args=[slug]))
    assert "ambitions" in plan_io.read_table("t.csv", template.content)[0]
    export = client.get(reverse("programmes:plan-export", args=[slug, "csv"]))
    table = plan_io.read_table("plan.csv", export.content)
    assert table[0]["ambitions"] == "Power to communities; Open council"
    page = client.get(reverse("programmes:plan-import", args=[slug])).content.decode()
    assert "Power to communities; Open council" in page
