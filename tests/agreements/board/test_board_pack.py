"""The board pack: one PDF from the agenda, its download recorded as a read receipt that only
the Secretariat sees."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements.models import BoardPackDownload
from tests.agreements.board.factories import (
    AgendaItemFactory,
    BoardMeetingFactory,
    MeetingDocumentFactory,
    director,
)
from tests.agreements.factories import AgreementDocumentFactory, AgreementFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = BoardMeetingFactory(title="Spring meeting")
    agreement = AgreementFactory(title="Cybersecurity cooperation", summary="Joint CERT drills.")
    CommitmentFactory(agreement=agreement, number=1, text="Share incident reports")
    AgreementDocumentFactory(agreement=agreement, title="Signed copy of the MoU")
    AgendaItemFactory(meeting=meeting, title="Renewal of the CERT agreement", agreement=agreement)
    MeetingDocumentFactory(meeting=meeting, title="Treasurer's report")
    return meeting


def pack_text(response):
    reader = PdfReader(
        io.BytesIO(
            b"".join(response.streaming_content if response.streaming else [response.content])
        )
    )
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_board_pack_holds_the_agenda_and_each_linked_agreement(client, meeting):
    client.force_login(director().user)
    response = client.get(reverse("agreements:board_pack", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pack_text(response)
    for expected in [
        "Board pack: Spring meeting",
        "Renewal of the CERT agreement",
        "Cybersecurity cooperation",
        "Joint CERT drills.",
        "Share incident reports",
        "Signed copy of the MoU",
        "Treasurer's report",
        "Next review on",
        "Expires on",
    ]:
        assert expected in text


def test_each_download_is_recorded_with_who_and_when(client, meeting):
    reader = director()
    client.force_login(reader.user)
    client.get(reverse("agreements:board_pack", args=[meeting.pk]))
    client.get(reverse("agreements:board_pack", args=[meeting.pk]))
    assert list(BoardPackDownload.objects.values_list("user", flat=True)) == [reader.user.pk] * 2


def test_the_secretariat_sees_the_read_receipts(client, meeting, secretariat_user):
    reader = director(name="Odalys Ferrant")
    BoardPackDownload.objects.create(meeting=meeting, user=reader.user)
    client.force_login(secretariat_user)
    page = client.get(meeting.get_absolute_url())
    assert "Read receipts of the board pack" in page.text
    assert reader.user.email in page.text or "Odalys" in page.text


def test_directors_do_not_see_the_read_receipts(client, meeting):
    client.force_login(director().user)
    assert "Read receipts" not in client.get(meeting.get_absolute_url()).text


def test_an_agenda_item_named_after_its_report_names_it_once(client, meeting):
    AgendaItemFactory(meeting=meeting, title="Treasurer's report", report="Treasurer's report")
    AgendaItemFactory(meeting=meeting, title="Finances", report="Auditor's letter")
    client.force_login(director().user)
    text = pack_text(client.get(reverse("agreements:board_pack", args=[meeting.pk])))
    assert "Treasurer's report · Treasurer's report" not in text
    assert "Finances · Auditor's letter" in text
