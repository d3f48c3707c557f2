"""Participatory budgeting URLs (in the funds namespace: funds/urls.py adds them)."""

from django.urls import path

from . import views

urlpatterns = [
    # Residents
    path("vote/<int:pk>/", views.vote, name="vote"),
    path("vote/<int:pk>/start/", views.vote_start, name="vote-start"),
    path("vote/<int:pk>/verify/<str:token>/", views.vote_verify, name="vote-verify"),
    path("vote/<int:pk>/ballot/", views.vote_ballot, name="vote-ballot"),
    path("vote/<int:pk>/check/", views.vote_check, name="vote-check"),
    path("vote/<int:pk>/done/", views.vote_done, name="vote-done"),
    path("vote/<int:pk>/bids/<int:entry_id>/photo/", views.vote_photo, name="vote-photo"),
    path("vote/<int:pk>/results/", views.vote_results, name="vote-results"),
    path("vote/<int:pk>/results.csv", views.vote_results_csv, name="vote-results-csv"),
    path("vote/<int:pk>/360giving.json", views.vote_open_data, name="vote-open-data"),
    # Council
    path("manage/rounds/<int:pk>/vote/", views.vote_setup, name="vote-setup"),
    path("manage/votes/<int:pk>/", views.vote_manage, name="vote-manage"),
    path("manage/votes/<int:pk>/shortlist/", views.vote_shortlist, name="vote-shortlist"),
    path(
        "manage/votes/<int:pk>/shortlist/<int:entry_id>/photo/",
        views.vote_bid_photo,
        name="vote-bid-photo",
    ),
    path("manage/votes/<int:pk>/paper/", views.vote_paper, name="vote-paper"),
    path("manage/votes/<int:pk>/paper/check/", views.vote_paper_check, name="vote-paper-check"),
    path(
        "manage/votes/<int:pk>/paper/<int:number>/correct/",
        views.vote_paper_correct,
        name="vote-paper-correct",
    ),
    path("manage/votes/<int:pk>/count/", views.vote_count, name="vote-count"),
    path("manage/votes/<int:pk>/count.csv", views.vote_count_csv, name="vote-count-csv"),
    path("manage/votes/<int:pk>/confirm/", views.vote_confirm, name="vote-confirm"),
    path("manage/votes/<int:pk>/cards/", views.vote_cards, name="vote-cards"),
    path("councils/<slug:slug>/postcodes/", views.postcodes, name="postcodes"),
]
