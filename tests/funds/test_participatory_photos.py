"""A photo beside each shortlisted bid: checked by the portal's upload check and read whole by
Pillow, re-encoded without its metadata, with a required description; shown on the vote's
public page and the ballot, served publicly only for a bid on that vote's ballot."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cpw.accounts.models import Role
from funds.models import ParticipatoryRound, ShortlistEntry
from funds.participatory import services
from tests.accounts.factories import user_with_role
from tests.funds.participatory import IN_AREA, participatory_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(programme):
    return user_with_role(Role.PROGRAMME_MANAGER, programme)


@pytest.fixture
def vote(programme, manager):
    return participatory_round(programme=programme, manager=manager)


def image_file(name="garden.jpg", size=(2400, 1200), fmt="JPEG", exif=True):
    out = io.BytesIO()
    image = Image.new("RGB", size, (30, 120, 40))
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {2: (52.0, 24.0, 0.0)}  # GPS latitude
        kwargs["exif"] = data
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue())


def test_a_photo_is_reencoded_smaller_and_without_its_metadata(vote, manager):
    entry = vote.entries[0]
    upload = image_file()
    assert b"PhoneMaker" in upload.read()
    services.bid_photo_set(entry=entry, user=manager, photo=upload, alt="  The  garden ")
    entry.refresh_from_db()
    assert entry.photo_alt == "The garden"
    assert entry.photo.name.endswith(".jpg") and "garden" not in entry.photo.name
    stored = entry.photo.open("rb").read()
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (1600, 800)
        assert not image.getexif()
    assert entry.history.latest().history_user == manager


def test_photos_are_checked(vote, manager):
    entry = vote.entries[0]

    def refused(**kwargs):
        with pytest.raises(ValidationError) as caught:
            services.bid_photo_set(entry=entry, user=manager, **kwargs)
        return caught.value.message_dict

    pdf = SimpleUploadedFile("plan.jpg", b"%PDF-1.4\n%test\n%%EOF\n")
    assert refused(photo=pdf, alt="Plan") == {"photo": ["The selected file must be a JPG or PNG"]}
    broken = SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert refused(photo=broken, alt="Broken") == {
        "photo": ["The selected file could not be read as a photo"]
    }
    huge = image_file("huge.png", size=(6000, 6000), fmt="PNG", exif=False)
    assert "smaller than 30 million pixels" in refused(photo=huge, alt="Huge")["photo"][0]
    heavy = SimpleUploadedFile("heavy.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024))
    assert refused(photo=heavy, alt="Heavy") == {
        "photo": ["The selected file must be smaller than 5 MB"]
    }
    assert refused(photo=image_file(), alt=" ") == {
        "alt": ["Describe the photo for people who cannot see it"]
    }
    assert refused(alt="Nothing") == {"photo": ["Select a photo"]}
    entry.refresh_from_db()
    assert not entry.photo


def test_replacing_or_removing_deletes_the_old_file_and_nothing_changes_after_close(
    vote, manager, django_capture_on_commit_callbacks
):
    entry = vote.entries[0]
    services.bid_photo_set(entry=entry, user=manager, photo=image_file(), alt="One")
    entry.refresh_from_db()
    first = entry.photo.name
    storage = entry.photo.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.bid_photo_set(
            entry=entry, user=manager, photo=image_file("two.png", fmt="PNG"), alt="Two"
        )
    entry.refresh_from_db()
    assert entry.photo.name.endswith(".png") and not storage.exists(first)
    ParticipatoryRound.objects.filter(pk=vote.participatory.pk).update(
        voting_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.bid_photo_set(entry=entry, user=manager, remove=True)
    assert ShortlistEntry.objects.get(pk=entry.pk).photo_alt == "Two"


def test_the_photo_on_the_public_pages(client, client_as, vote, manager, programme):
    a, b = vote.entries[:2]
    pk = vote.participatory.pk
    # The manager adds it from the shortlist.
    page = client_as(manager).get(reverse("funds:vote-shortlist", args=[pk])).content.decode()
    photo_page = reverse("funds:vote-bid-photo", args=[pk, a.pk])
    assert photo_page in page
    response = client_as(manager).post(photo_page, {"photo": image_file(), "alt": ""})
    assert response.status_code == 400
    assert "Describe the photo for people who cannot see it" in response.content.decode()
    response = client_as(manager).post(
        photo_page, {"photo": image_file(), "alt": "Children planting bulbs"}
    )
    assert response.status_code == 302
    officer = user_with_role(Role.OFFICER, programme)
    assert client_as(officer).get(photo_page).status_code == 403

    # Anyone sees it on the vote's page and on the ballot, with its description.
    client = client_as(None)
    src = reverse("funds:vote-photo", args=[pk, a.pk])
    page = client.get(reverse("funds:vote", args=[pk])).content.decode()
    assert f'src="{src}" alt="Children planting bulbs"' in page
    photo = client.get(src)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content)[:3] == b"\xff\xd8\xff"
    code = services.polling_cards_issue(participatory=vote.participatory, count=1)[0]
    client.post(
        reverse("funds:vote-start", args=[pk]),
        {"method": "card", "code": code, "postcode": IN_AREA},
    )
    ballot = client.get(reverse("funds:vote-ballot", args=[pk])).content.decode()
    assert f'src="{src}" alt="Children planting bulbs"' in ballot

    # Only a bid with a photo, on this vote's ballot.
    assert client.get(reverse("funds:vote-photo", args=[pk, b.pk])).status_code == 404
    other = participatory_round(programme=programme, manager=manager, name="Other vote")
    assert (
        client.get(reverse("funds:vote-photo", args=[other.participatory.pk, a.pk])).status_code
        == 404
    )
    ShortlistEntry.objects.filter(pk=a.pk).update(eligible=False)
    assert client.get(src).status_code == 404
