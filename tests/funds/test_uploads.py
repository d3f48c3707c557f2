from django.urls import reverse


def test_a_monitoring_photo_opens_from_the_grant_page_for_those_who_may_see_the_grant(
    world, client_as
):
    photo = world.funds.photo
    award = world.funds.award
    page = client_as(world.users["partner"]).get(reverse("funds:grant-detail", args=[award.pk]))
    url = reverse("funds:monitoring-photo", args=[award.pk, photo.report_id, photo.pk])
    assert url in page.content.decode()
    response = client_as(world.users["officer"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client_as(world.users["outsider"]).get(url).status_code == 404
