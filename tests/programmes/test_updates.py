"""The quarterly update: services (draft, submit, corrections, locking, conflicts, history) and
the officer's pages."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cpw.accounts.models import Role
from cpw.core.concurrency import EditConflict
from programmes import services
from programmes.models import CommitmentUpdate, EvidenceFile, UpdateStatus
from programmes.periods import PeriodLocked
from programmes.services import reporting_period_lock
from tests.accounts.factories import user_with_role
from tests.core.files import EXECUTABLE, FAKE_XLSX, PDF, docx_bytes, xlsx_bytes
from tests.programmes.factories import CommitmentUpdateFactory, ProgrammeFactory

DATA = {
    "rag": "amber",
    "what_happened": "Two panels met in Nuneaton.",
    "whats_next": "Panels in Rugby.",
    "risks_and_issues": "",
    "evidence_links": "",
}


def save(w, action=services.SUBMIT, data=None, version=0, period=None, user=None):
    return services.commitment_update_save(
        commitment=w.commitment,
        period=period or w.current,
        user=user or w.officer,
        data=data or DATA,
        action=action,
        expected_version=version,
    )


# --- Services -------------------------------------------------------------------------------


def test_a_draft_needs_nothing_filled_in(plan_world):
    update = save(plan_world, services.SAVE_DRAFT, data={"what_happened": ""})
    assert update.status == UpdateStatus.DRAFT
    assert update.submitted_at is None


def test_submitting_records_who_and_when(plan_world):
    update = save(plan_world)
    assert update.status == UpdateStatus.SUBMITTED
    assert update.submitted_by == plan_world.officer
    assert update.submitted_at is not None


def test_submitting_needs_a_rag_rating_and_what_happened(plan_world):
    with pytest.raises(ValidationError) as error:
        save(plan_world, data={"rag": "", "what_happened": " "})
    assert set(error.value.message_dict) == {"rag", "what_happened"}
    assert not CommitmentUpdate.objects.exists()


def test_a_submitted_update_can_be_corrected_but_not_returned_to_draft(plan_world):
    update = save(plan_world)
    corrected = save(
        plan_world, data={**DATA, "what_happened": "Three panels met."}, version=update.version
    )
    assert corrected.what_happened == "Three panels met."
    assert corrected.status == UpdateStatus.SUBMITTED
    with pytest.raises(ValidationError, match="cannot go back to being a draft"):
        save(plan_world, services.SAVE_DRAFT, version=corrected.version)


def test_a_locked_period_refuses_changes(plan_world):
    with pytest.raises(PeriodLocked, match="is locked"):
        save(plan_world, period=plan_world.previous)
    update = save(plan_world)
    reporting_period_lock(
        period=plan_world.current, user=plan_world.manager, reason="Board meets early"
    )
    with pytest.raises(PeriodLocked):
        save(plan_world, data={**DATA, "what_happened": "Changed"}, version=update.version)
    update.refresh_from_db()
    assert update.what_happened == DATA["what_happened"]


def test_a_stale_version_is_an_edit_conflict_and_saves_nothing(plan_world):
    first = save(plan_world, services.SAVE_DRAFT)
    save(plan_world, services.SAVE_DRAFT, data={**DATA, "rag": "red"}, version=first.version)
    with pytest.raises(EditConflict) as conflict:
        save(plan_world, services.SAVE_DRAFT, data={**DATA, "rag": "green"}, version=first.version)
    assert conflict.value.current.rag == "red"
    assert CommitmentUpdate.objects.get().rag == "red"


def test_two_people_starting_a_new_update_conflict(plan_world):
    save(plan_world, services.SAVE_DRAFT)
    with pytest.raises(EditConflict):
        save(plan_world, services.SAVE_DRAFT, version=0, user=plan_world.manager)


def test_submitting_complete_sets_progress_to_100(plan_world):
    save(plan_world, data={**DATA, "rag": "complete"})
    plan_world.commitment.refresh_from_db()
    assert plan_world.commitment.progress == 100


def test_changes_are_in_the_history_with_who_made_them(plan_world):
    update = save(plan_world, services.SAVE_DRAFT)
    save(plan_world, data={**DATA, "rag": "red"}, version=update.version)
    records = list(CommitmentUpdate.history.order_by("history_date"))
    assert [r.status for r in records] == ["draft", "submitted"]
    assert {r.history_user for r in records} == {plan_world.officer}


# --- Pages ----------------------------------------------------------------------------------


def url(w, period=None):
    return reverse(
        "programmes:commitment-update", args=[w.commitment.pk, (period or w.current).label]
    )


def test_my_commitments_lists_what_is_due(plan_world, client_as):
    response = client_as(plan_world.officer).get(reverse("programmes:my-work"))
    html = response.content.decode()
    assert "Involve residents early" in html
    assert plan_world.current.label in html
    assert "Not started" in html
    other = client_as(plan_world.other_officer).get(reverse("programmes:my-work"))
    assert "Involve residents early" not in other.content.decode()


def test_the_form_shows_last_periods_update_beside_it(plan_world, client_as):
    CommitmentUpdateFactory(
        commitment=plan_world.commitment,
        period=plan_world.previous,
        submitted=True,
        what_happened="Last quarter we recruited 12 residents.",
    )
    response = client_as(plan_world.officer).get(url(plan_world))
    assert response.status_code == 200
    assert "Last quarter we recruited 12 residents." in response.content.decode()


def test_officer_saves_a_draft_then_submits(plan_world, client_as):
    client = client_as(plan_world.officer)
    form = {**DATA, "version": 0, "progress": 40}
    response = client.post(url(plan_world), {**form, "save_draft": ""})
    assert response.status_code == 302
    update = CommitmentUpdate.objects.get()
    assert update.status == UpdateStatus.DRAFT
    response = client.post(url(plan_world), {**form, "version": update.version, "submit": ""})
    assert response.status_code == 302
    assert response["Location"].endswith("/submitted/")
    done = client.get(response["Location"])
    assert "Update submitted" in done.content.decode()
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED
    plan_world.commitment.refresh_from_db()
    assert plan_world.commitment.progress == 40


def test_submitting_without_a_rag_shows_the_error_summary(plan_world, client_as):
    response = client_as(plan_world.officer).post(
        url(plan_world), {**DATA, "rag": "", "version": 0, "submit": ""}
    )
    assert response.status_code == 200
    assert "Select a RAG rating" in response.content.decode()
    assert not CommitmentUpdate.objects.exists()


def test_the_error_summary_is_at_the_top_of_main_and_progress_is_a_percent_text_input(
    plan_world, client_as
):
    client = client_as(plan_world.officer)

    def main_of(data):
        html = client.post(url(plan_world), {**DATA, "version": 0, "submit": "", **data})
        html = html.content.decode()
        return html[html.index('<main class="govuk-main-wrapper" id="main-content"') :]

    main = main_of({"rag": ""})
    # GOV.UK: the summary comes first in main, before the heading and the introduction.
    assert main.index('class="govuk-error-summary"') < main.index("<h1")
    assert main.count('class="govuk-error-summary"') == 1
    assert 'href="#id_rag_1"' in main and 'id="id_rag_1"' in main
    main = main_of({"progress": "lots"})
    assert 'href="#id_progress"' in main
    assert "The progress must be a whole number, like 40" in main
    progress = re.search(r'<input[^>]*name="progress"[^>]*>', main).group(0)
    assert 'type="text"' in progress and 'inputmode="numeric"' in progress
    assert 'type="number"' not in main
    assert '<div class="govuk-input__suffix" aria-hidden="true">%</div>' in main


def test_evidence_links_must_be_web_addresses(plan_world, client_as):
    response = client_as(plan_world.officer).post(
        url(plan_world), {**DATA, "evidence_links": "not a link", "version": 0, "submit": ""}
    )
    assert "is not a web address" in response.content.decode()
    assert not CommitmentUpdate.objects.exists()


def test_an_evidence_file_is_kept_and_can_be_downloaded(plan_world, client_as):
    client = client_as(plan_world.officer)
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", "application/pdf")
    client.post(url(plan_world), {**DATA, "version": 0, "submit": "", "evidence_file": upload})
    evidence = CommitmentUpdate.objects.get().evidence_files.get()
    response = client.get(reverse("programmes:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"


EVIDENCE_MESSAGE = (
    "The selected file must be a PDF, Word document, Excel spreadsheet, PowerPoint presentation, "
    "OpenDocument text, CSV, text file, JPG or PNG"
)


@pytest.mark.parametrize(
    "name,content",
    [
        ("report.pdf", EXECUTABLE),
        ("report.docx", EXECUTABLE),
        ("figures.xlsx", FAKE_XLSX),
        ("notes.txt", EXECUTABLE),
    ],
    ids=["executable renamed .pdf", "executable renamed .docx", "fake xlsx zip", "renamed .txt"],
)
def test_evidence_is_checked_from_its_bytes_and_nothing_is_saved(
    plan_world, client_as, name, content
):
    upload = SimpleUploadedFile(name, content, "application/pdf")
    response = client_as(plan_world.officer).post(
        url(plan_world), {**DATA, "version": 0, "submit": "", "evidence_file": upload}
    )
    assert response.status_code == 200
    assert EVIDENCE_MESSAGE in response.content.decode()
    assert not CommitmentUpdate.objects.exists() and not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    "name,content",
    [("minutes.pdf", PDF), ("plan.docx", docx_bytes()), ("figures.xlsx", xlsx_bytes())],
)
def test_genuine_evidence_files_are_kept(plan_world, client_as, name, content):
    upload = SimpleUploadedFile(name, content)
    response = client_as(plan_world.officer).post(
        url(plan_world), {**DATA, "version": 0, "submit": "", "evidence_file": upload}
    )
    assert response.status_code == 302
    assert EvidenceFile.objects.get().file.read() == content


def test_the_update_service_checks_evidence_too(plan_world):
    with pytest.raises(ValidationError, match="must be a PDF"):
        services.commitment_update_save(
            commitment=plan_world.commitment,
            period=plan_world.current,
            user=plan_world.officer,
            data=DATA,
            action=services.SUBMIT,
            expected_version=0,
            files=[SimpleUploadedFile("report.pdf", EXECUTABLE)],
        )
    assert not CommitmentUpdate.objects.exists() and not EvidenceFile.objects.exists()


def test_an_evidence_file_of_the_wrong_kind_is_refused(plan_world, client_as):
    upload = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")
    response = client_as(plan_world.officer).post(
        url(plan_world), {**DATA, "version": 0, "submit": "", "evidence_file": upload}
    )
    assert "must be a PDF, Word" in response.content.decode()
    assert not CommitmentUpdate.objects.exists()


def test_a_locked_period_shows_a_clear_message_and_refuses_a_post(plan_world, client_as):
    client = client_as(plan_world.officer)
    response = client.get(url(plan_world, plan_world.previous))
    html = response.content.decode()
    assert "is locked, so updates for it can no longer be changed" in html
    assert "Submit update" not in html
    response = client.post(url(plan_world, plan_world.previous), {**DATA, "version": 0})
    assert "is locked" in response.content.decode()
    assert not CommitmentUpdate.objects.exists()


def test_the_conflict_page_shows_both_versions(plan_world, client_as):
    update = save(plan_world, services.SAVE_DRAFT)
    save(
        plan_world,
        services.SAVE_DRAFT,
        data={**DATA, "what_happened": "Saved by the manager"},
        version=update.version,
        user=plan_world.manager,
    )
    response = client_as(plan_world.officer).post(
        url(plan_world),
        {**DATA, "what_happened": "My words", "version": update.version, "save_draft": ""},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this while you were editing" in html
    assert "Saved by the manager" in html and "My words" in html
    assert CommitmentUpdate.objects.get().what_happened == "Saved by the manager"


def test_an_officer_who_does_not_lead_it_gets_403(plan_world, client_as):
    """They may read the commitment (it is in their programme), so it is 403, not 404."""
    response = client_as(plan_world.other_officer).get(url(plan_world))
    assert response.status_code == 403


def test_an_officer_of_another_programme_gets_404(plan_world, client_as):
    outsider = user_with_role(Role.OFFICER, ProgrammeFactory(slug="elsewhere"))
    assert client_as(outsider).get(url(plan_world)).status_code == 404


def test_the_manager_may_update_any_commitment(plan_world, client_as):
    assert client_as(plan_world.manager).get(url(plan_world)).status_code == 200


def test_the_commitment_page_shows_history(plan_world, client_as):
    update = save(plan_world, services.SAVE_DRAFT)
    save(plan_world, version=update.version)
    response = client_as(plan_world.other_officer).get(
        reverse("programmes:commitment-detail", args=[plan_world.commitment.pk])
    )
    html = response.content.decode()
    assert f"Update for {plan_world.current.label}" in html
    assert "Tom Evans" in html
    assert '<td class="govuk-table__cell">Status</td>' in html
    assert '<td class="govuk-table__cell">Created</td>' in html


def test_my_commitments_flags_overdue_updates(plan_world, client_as):
    import datetime

    plan_world.current.update_deadline = datetime.date.today() - datetime.timedelta(days=1)
    plan_world.current.save()
    html = client_as(plan_world.officer).get(reverse("programmes:my-work")).content.decode()
    assert "Overdue" in html
