"""The briefing workflow (agreements.services) and the Secretariat's admin for it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from agreements import services
from agreements.demo.briefings import seed_briefings
from agreements.models import Briefing, BriefingDelivery, BriefingMove, InformationExchange
from agreements.tasks import send_pending_deliveries
from tests.agreements.factories import PartnerFactory
from tests.agreements.factories_briefings import BriefingFactory
from tests.members.factories import ContactFactory

pytestmark = pytest.mark.django_db

S = Briefing.Status


@pytest.fixture
def isoc():
    return PartnerFactory(name="Internet Society (test)")


@pytest.fixture
def channel_draft(isoc):
    return BriefingFactory(channel=isoc)


def moves_of(briefing):
    return list(briefing.moves.values_list("from_status", "to_status"))


def test_submit_moves_a_draft_to_submitted_and_records_who(channel_draft, secretariat_user):
    services.submit(briefing=channel_draft, by=secretariat_user)

    assert channel_draft.status == S.SUBMITTED
    move = channel_draft.moves.get()
    assert (move.from_status, move.to_status, move.moved_by) == (
        S.DRAFT,
        S.SUBMITTED,
        secretariat_user,
    )


def test_submit_without_a_partner_channel_is_refused(secretariat_user):
    briefing = BriefingFactory()

    with pytest.raises(ValidationError, match="no partner channel"):
        services.submit(briefing=briefing, by=secretariat_user)

    briefing.refresh_from_db()
    assert briefing.status == S.DRAFT
    assert not BriefingMove.objects.exists()


def test_record_partner_approval_keeps_who_when_and_reference(channel_draft, secretariat_user):
    services.submit(briefing=channel_draft, by=secretariat_user)

    services.record_partner_approval(
        briefing=channel_draft,
        by=secretariat_user,
        approved_by="ISOC Bureau",
        approved_on=datetime.date(2026, 2, 1),
        reference="REF-7",
    )

    assert channel_draft.status == S.APPROVED
    assert channel_draft.partner_approved_by == "ISOC Bureau"
    assert channel_draft.partner_approved_on == datetime.date(2026, 2, 1)
    assert channel_draft.partner_approval_reference == "REF-7"
    assert moves_of(channel_draft) == [(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.APPROVED)]


def test_approval_of_a_briefing_not_submitted_is_refused(channel_draft, secretariat_user):
    with pytest.raises(ValidationError, match="it is draft"):
        services.record_partner_approval(
            briefing=channel_draft,
            by=secretariat_user,
            approved_by="ISOC Bureau",
            approved_on=datetime.date(2026, 2, 1),
        )

    channel_draft.refresh_from_db()
    assert channel_draft.partner_approved_on is None


def test_approval_needs_the_approver_and_a_date_not_in_the_future(channel_draft, secretariat_user):
    services.submit(briefing=channel_draft, by=secretariat_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        services.record_partner_approval(
            briefing=channel_draft, by=secretariat_user, approved_by=" ", approved_on=tomorrow
        )

    assert set(raised.value.message_dict) == {"partner_approved_by", "partner_approved_on"}
    channel_draft.refresh_from_db()
    assert channel_draft.status == S.SUBMITTED


def test_request_changes_needs_a_note(channel_draft, secretariat_user):
    services.submit(briefing=channel_draft, by=secretariat_user)

    with pytest.raises(ValidationError, match="which changes"):
        services.request_changes(briefing=channel_draft, by=secretariat_user, note="")


def test_request_changes_after_approval_withdraws_the_approval(isoc, secretariat_user):
    briefing = BriefingFactory(isoc_approved=True, channel=isoc)

    services.request_changes(
        briefing=briefing, by=secretariat_user, note="Shorten the second paragraph."
    )

    assert briefing.status == S.CHANGES_REQUESTED
    assert briefing.partner_approved_on is None
    assert briefing.moves.get().note == "Shorten the second paragraph."


def test_a_briefing_with_changes_requested_can_be_submitted_again(channel_draft, secretariat_user):
    services.submit(briefing=channel_draft, by=secretariat_user)
    services.request_changes(briefing=channel_draft, by=secretariat_user, note="Add figures.")

    services.submit(briefing=channel_draft, by=secretariat_user)

    assert channel_draft.status == S.SUBMITTED


def test_publishing_through_a_partner_channel_without_approval_is_refused(
    channel_draft, secretariat_user
):
    with pytest.raises(ValidationError, match="without Internet Society \\(test\\)'s recorded"):
        services.publish(briefing=channel_draft, by=secretariat_user)

    channel_draft.refresh_from_db()
    assert (channel_draft.status, channel_draft.published_at) == (S.DRAFT, None)
    assert not BriefingMove.objects.exists()


def test_publishing_a_submitted_briefing_is_refused(channel_draft, secretariat_user):
    services.submit(briefing=channel_draft, by=secretariat_user)

    with pytest.raises(ValidationError):
        services.publish(briefing=channel_draft, by=secretariat_user)

    channel_draft.refresh_from_db()
    assert channel_draft.status == S.SUBMITTED


def test_publishing_an_approved_briefing_sets_the_time_and_records_the_move(isoc, secretariat_user):
    briefing = BriefingFactory(isoc_approved=True, channel=isoc)

    services.publish(briefing=briefing, by=secretariat_user)

    assert briefing.status == S.PUBLISHED
    assert briefing.published_at is not None
    assert moves_of(briefing) == [(S.APPROVED, S.PUBLISHED)]


def test_a_draft_without_a_partner_channel_is_published_directly(secretariat_user):
    briefing = BriefingFactory()

    services.publish(briefing=briefing, by=secretariat_user)

    assert briefing.status == S.PUBLISHED


def test_the_database_refuses_a_published_partner_briefing_without_approval(isoc):
    briefing = BriefingFactory(channel=isoc)

    with pytest.raises(IntegrityError):
        Briefing.objects.filter(pk=briefing.pk).update(
            status=S.PUBLISHED, published_at=timezone.now()
        )


def test_publishing_a_briefing_with_an_empty_title_is_refused(secretariat_user):
    briefing = BriefingFactory(title="  ")

    with pytest.raises(ValidationError, match="needs a title"):
        services.publish(briefing=briefing, by=secretariat_user)

    briefing.refresh_from_db()
    assert briefing.status == S.DRAFT


def test_publishing_a_body_of_several_megabytes_is_refused(secretariat_user):
    briefing = BriefingFactory(body="x" * 3_000_000)

    with pytest.raises(ValidationError, match="at most 200,000"):
        services.publish(briefing=briefing, by=secretariat_user)

    briefing.refresh_from_db()
    assert briefing.status == S.DRAFT


def test_a_stale_second_publish_is_refused(secretariat_user):
    briefing = BriefingFactory()
    stale = Briefing.objects.get(pk=briefing.pk)
    services.publish(briefing=briefing, by=secretariat_user)

    with pytest.raises(ValidationError, match="it is published"):
        services.publish(briefing=stale, by=secretariat_user)

    assert briefing.moves.count() == 1


def test_withdrawing_a_published_briefing_needs_a_reason(secretariat_user):
    briefing = BriefingFactory(published=True)

    with pytest.raises(ValidationError, match="why"):
        services.withdraw(briefing=briefing, by=secretariat_user, note="")

    services.withdraw(
        briefing=briefing, by=secretariat_user, note="Superseded by a newer briefing."
    )
    assert briefing.status == S.WITHDRAWN


def test_a_draft_cannot_be_withdrawn(secretariat_user):
    with pytest.raises(ValidationError, match="cannot be withdrawn"):
        services.withdraw(briefing=BriefingFactory(), by=secretariat_user, note="Not needed.")


def test_publishing_a_members_briefing_queues_one_delivery_per_recipient(
    secretariat_user, django_capture_on_commit_callbacks
):
    contacts = ContactFactory.create_batch(3)
    briefing = BriefingFactory(members=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(briefing=briefing, by=secretariat_user)

    assert set(briefing.deliveries.values_list("contact", flat=True)) >= {c.pk for c in contacts}
    assert not briefing.deliveries.exclude(status=BriefingDelivery.Status.PENDING).exists()
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["args"]) == (
        "agreements.tasks.send_briefing",
        [briefing.pk],
    )


def test_the_sender_is_queued_only_when_the_publication_commits(
    secretariat_user, django_capture_on_commit_callbacks
):
    ContactFactory()
    briefing = BriefingFactory(members=True)

    with django_capture_on_commit_callbacks(execute=False):
        services.publish(briefing=briefing, by=secretariat_user)
        queued_before_commit = DBTaskResult.objects.exists()

    assert not queued_before_commit


def test_publishing_a_public_briefing_emails_nobody(
    secretariat_user, django_capture_on_commit_callbacks
):
    ContactFactory()
    briefing = BriefingFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(briefing=briefing, by=secretariat_user)

    assert not briefing.deliveries.exists()
    assert not DBTaskResult.objects.exists()


# The Secretariat's admin


def admin_move_url(briefing, move):
    return reverse("admin:agreements_briefing_move", args=[briefing.pk, move])


def test_the_secretariat_takes_a_briefing_from_draft_to_published_in_the_admin(
    client, secretariat_user, isoc, django_capture_on_commit_callbacks, mailoutbox
):
    contacts = ContactFactory.create_batch(3)
    channel_draft = BriefingFactory(channel=isoc, members=True)
    client.force_login(secretariat_user)

    client.post(admin_move_url(channel_draft, "submit"), {})
    client.post(
        admin_move_url(channel_draft, "approve"),
        {"approved_by": "ISOC Bureau", "approved_on": "2026-01-10", "reference": "R-1"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_move_url(channel_draft, "publish"), {})

    assert response.status_code == 302
    channel_draft.refresh_from_db()
    assert channel_draft.status == S.PUBLISHED
    assert moves_of(channel_draft) == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.APPROVED),
        (S.APPROVED, S.PUBLISHED),
    ]
    send_pending_deliveries(channel_draft.pk)
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        contact.email for contact in contacts
    )


def test_the_admin_shows_the_refusal_to_publish_without_approval(
    client, secretariat_user, channel_draft
):
    client.force_login(secretariat_user)

    response = client.post(admin_move_url(channel_draft, "publish"), {"note": ""})

    assert response.status_code == 200
    assert "recorded approval" in response.content.decode()
    channel_draft.refresh_from_db()
    assert channel_draft.status == S.DRAFT


def test_the_admin_offers_only_the_moves_the_status_allows(client, secretariat_user, channel_draft):
    client.force_login(secretariat_user)

    response = client.get(reverse("admin:agreements_briefing_change", args=[channel_draft.pk]))

    assert [move for move, _label in response.context["briefing_moves"]] == ["submit"]


def test_the_admin_shows_the_history_of_moves(client, secretariat_user, channel_draft):
    services.submit(briefing=channel_draft, by=secretariat_user, note="Sent to ISOC by email.")
    client.force_login(secretariat_user)

    response = client.get(reverse("admin:agreements_briefing_change", args=[channel_draft.pk]))

    assert "Sent to ISOC by email." in response.content.decode()


def test_a_member_operator_cannot_use_the_admin_moves(client, operator_a, channel_draft):
    client.force_login(operator_a)

    client.post(admin_move_url(channel_draft, "submit"), {"note": ""})

    channel_draft.refresh_from_db()
    assert channel_draft.status == S.DRAFT


def admin_form_data(**overrides):
    return {
        "title": "Spectrum outlook",
        "slug": "spectrum-outlook",
        "summary": "",
        "body": "Text.",
        "audience": "public",
        "moves-TOTAL_FORMS": "0",
        "moves-INITIAL_FORMS": "0",
        **overrides,
    }


def test_the_admin_refuses_a_body_over_the_limit_with_a_clear_message(client, secretariat_user):
    client.force_login(secretariat_user)

    # 5 MB: "several megabytes", still under the request limit the settings raise to 10 MB.
    response = client.post(
        reverse("admin:agreements_briefing_add"), admin_form_data(body="x" * 5_000_000)
    )

    assert response.status_code == 200
    assert "a briefing may have at most 200,000" in response.content.decode()
    assert not Briefing.objects.exists()


def test_the_admin_refuses_an_empty_title(client, secretariat_user):
    client.force_login(secretariat_user)

    response = client.post(reverse("admin:agreements_briefing_add"), admin_form_data(title=""))

    assert response.context["adminform"].form.errors["title"]
    assert not Briefing.objects.exists()


def test_the_admin_adds_a_briefing_as_a_draft_by_its_author(client, secretariat_user):
    client.force_login(secretariat_user)

    client.post(reverse("admin:agreements_briefing_add"), admin_form_data())

    briefing = Briefing.objects.get()
    assert (briefing.status, briefing.created_by) == (S.DRAFT, secretariat_user)


def test_the_admin_locks_the_text_once_submitted(client, secretariat_user, channel_draft):
    services.submit(briefing=channel_draft, by=secretariat_user)
    client.force_login(secretariat_user)

    response = client.get(reverse("admin:agreements_briefing_change", args=[channel_draft.pk]))

    assert "body" not in response.context["adminform"].form.fields


# Demo data


def test_the_demo_briefings_are_seeded_once(settings, tmp_private_storage):
    settings.DEBUG = True
    today = timezone.localdate()

    seed_briefings(today)
    counts = (Briefing.objects.count(), BriefingMove.objects.count())
    seed_briefings(today)

    assert (Briefing.objects.count(), BriefingMove.objects.count()) == counts
    assert set(Briefing.objects.values_list("status", flat=True)) == {
        S.DRAFT,
        S.SUBMITTED,
        S.PUBLISHED,
        S.WITHDRAWN,
    }


def test_the_demo_has_information_exchanges_with_pdfs(settings, tmp_private_storage):
    settings.DEBUG = True

    seed_briefings(timezone.localdate())

    exchanges = InformationExchange.objects.all()
    assert len(exchanges) == 3
    assert all(exchange.attachment.read(5) == b"%PDF-" for exchange in exchanges)
