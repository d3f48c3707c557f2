"""History records changes, not saves: saving a record without changing it writes no row."""

import datetime
from decimal import Decimal

import pytest

from funds.models import Award
from programmes.models import Commitment, Programme
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.funds.factories import AwardFactory
from tests.programmes.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


def test_saving_without_changes_writes_no_history_row(programme):
    assert programme.history.count() == 1  # created
    programme.save()
    Programme.objects.get(pk=programme.pk).save()
    assert programme.history.count() == 1
    programme.name = "A new name"
    programme.save()
    assert programme.history.count() == 2
    assert programme.history.first().name == "A new name"
    programme.save()
    assert programme.history.count() == 2


def test_a_value_set_in_another_form_of_the_same_value_is_not_a_change():
    commitment = CommitmentFactory(end=datetime.date(2025, 3, 31))
    before = commitment.history.count()
    commitment = Commitment.objects.get(pk=commitment.pk)
    commitment.end = "2025-03-31"
    commitment.save()
    assert commitment.history.count() == before
    commitment.end = "2025-04-01"
    commitment.save()
    assert commitment.history.count() == before + 1


def test_a_change_then_a_change_back_are_both_recorded(programme):
    original = programme.purpose
    programme.purpose = "Changed"
    programme.save()
    programme.purpose = original
    programme.save()
    assert [h.purpose for h in programme.history.all()][:2] == [original, "Changed"]


def test_an_organisation_is_recorded_only_when_it_changes():
    """Organisation keeps every field in its history, `updated_at` too: a field set on every
    save is not a change of its own."""
    organisation = OrganisationFactory(name="Feed the Hungry UK")
    rows = organisation.history.count()
    organisation.save()
    assert organisation.history.count() == rows
    organisation.name = "Feed the Hungry"
    organisation.save()
    assert organisation.history.count() == rows + 1


def test_money_given_as_text_is_the_same_amount():
    award = AwardFactory(amount_capital=Decimal("1000.00"))
    rows = award.history.count()
    award = Award.objects.get(pk=award.pk)
    award.amount_capital = "1000"
    award.save()
    assert award.history.count() == rows
    award.amount_capital = Decimal("1000.01")
    award.save()
    assert award.history.count() == rows + 1


def test_links_that_change_nothing_write_no_history_row():
    commitment = CommitmentFactory()
    lead = UserFactory()
    commitment.lead_users.set([lead])
    rows = commitment.history.count()
    commitment.lead_users.add()  # nothing
    commitment.lead_users.set([lead])  # the same
    commitment.lead_users.add(lead)  # already there
    assert commitment.history.count() == rows
    commitment.lead_users.add(UserFactory())
    assert commitment.history.count() == rows + 1


def test_a_deletion_is_still_recorded(programme):
    commitment = CommitmentFactory()
    pk = commitment.pk
    commitment.delete()
    assert Commitment.history.filter(id=pk, history_type="-").count() == 1
