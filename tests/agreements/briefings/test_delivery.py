"""Emailing a members briefing: every recipient once, even when a sender is killed halfway
(agreements/tasks.py explains the design and the one window that remains)."""

import threading
from collections import Counter

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from agreements import services
from agreements.models import BriefingDelivery
from agreements.tasks import send_pending_deliveries
from members.models import Member
from tests.agreements.factories_briefings import BriefingFactory
from tests.members.factories import ContactFactory, MemberFactory

SENT = BriefingDelivery.Status.SENT
PENDING = BriefingDelivery.Status.PENDING


class Killed(BaseException):
    """Stands for the sender's process being killed: not an Exception, so nothing in the
    sender catches it, and its open transaction is rolled back as a dead connection's is."""


class DyingBackend(locmem.EmailBackend):
    """Delivers `deliveries_before_death` messages, then dies: before handing over the next
    message, or, with `dies_after_handover`, right after the mail server accepted it."""

    deliveries_before_death = None
    dies_after_handover = False

    def send_messages(self, messages):
        cls = DyingBackend
        if cls.deliveries_before_death is None:
            return super().send_messages(messages)
        if cls.deliveries_before_death == 0:
            if cls.dies_after_handover:
                super().send_messages(messages)
            raise Killed
        cls.deliveries_before_death -= 1
        return super().send_messages(messages)


class RefusingBackend(locmem.EmailBackend):
    """A mail server that refuses one address and accepts the others."""

    refused = None

    def send_messages(self, messages):
        if any(RefusingBackend.refused in message.to for message in messages):
            raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)


@pytest.fixture
def dying_mailer(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.DyingBackend"}}
    DyingBackend.dies_after_handover = False
    return DyingBackend


@pytest.fixture
def recipients(db):
    return ContactFactory.create_batch(6)


@pytest.fixture
def published_members_briefing(
    db, recipients, secretariat_user, django_capture_on_commit_callbacks
):
    """Published through the workflow, its sender task queued in the database backend when
    the publication commits."""
    briefing = BriefingFactory(members=True, title="Roaming update")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(briefing=briefing, by=secretariat_user)
    return briefing


def addresses(outbox):
    return Counter(address for message in outbox for address in message.to)


@pytest.fixture
def run_worker(monkeypatch):
    """Runs django-tasks-db's worker until the queue is empty. Between tasks the worker closes
    connections it judges stale, which inside a test's transaction would be the test's own."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    return run


def test_recipients_are_active_members_contacts_with_email_who_did_not_opt_out(db):
    wanted = ContactFactory()
    ContactFactory(receives_briefings=False)
    ContactFactory(email="")
    ContactFactory(member=MemberFactory(status=Member.Status.SUSPENDED))

    assert list(services.briefing_recipients()) == [wanted]


def test_the_sender_mails_each_recipient_once_and_marks_them_sent(
    published_members_briefing, recipients, mailoutbox
):
    result = send_pending_deliveries(published_members_briefing.pk)

    assert result == {"sent": 6, "failed": 0}
    assert addresses(mailoutbox) == Counter({contact.email: 1 for contact in recipients})
    assert not published_members_briefing.deliveries.filter(status=PENDING).exists()


def test_a_second_sender_mails_nobody_again(published_members_briefing, mailoutbox):
    send_pending_deliveries(published_members_briefing.pk)

    assert send_pending_deliveries(published_members_briefing.pk) == {"sent": 0, "failed": 0}
    assert len(mailoutbox) == 6


def test_a_sender_killed_halfway_and_started_again_skips_nobody_and_mails_nobody_twice(
    published_members_briefing, recipients, dying_mailer
):
    dying_mailer.deliveries_before_death = 3
    with pytest.raises(Killed):
        send_pending_deliveries(published_members_briefing.pk)
    assert len(mail.outbox) == 3
    assert published_members_briefing.deliveries.filter(status=SENT).count() == 3

    dying_mailer.deliveries_before_death = None
    send_pending_deliveries(published_members_briefing.pk)

    assert addresses(mail.outbox) == Counter({contact.email: 1 for contact in recipients})


def test_a_sender_killed_between_handover_and_commit_repeats_only_that_message_with_its_id(
    published_members_briefing, dying_mailer
):
    # The documented window: the mail server has the message, the database does not know.
    dying_mailer.deliveries_before_death = 2
    dying_mailer.dies_after_handover = True
    with pytest.raises(Killed):
        send_pending_deliveries(published_members_briefing.pk)

    dying_mailer.deliveries_before_death = None
    send_pending_deliveries(published_members_briefing.pk)

    counts = Counter(message.extra_headers["Message-ID"] for message in mail.outbox)
    assert sorted(counts.values()) == [1, 1, 1, 1, 1, 2]


def test_a_refused_message_stays_pending_while_the_others_go(
    published_members_briefing, recipients, settings
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    RefusingBackend.refused = recipients[0].email

    result = send_pending_deliveries(published_members_briefing.pk)

    assert result == {"sent": 5, "failed": 1}
    assert list(
        published_members_briefing.deliveries.filter(status=PENDING).values_list(
            "contact", flat=True
        )
    ) == [recipients[0].pk]


def test_a_withdrawn_briefing_stops_sending(
    published_members_briefing, secretariat_user, mailoutbox
):
    services.withdraw(
        briefing=published_members_briefing, by=secretariat_user, note="Sent by mistake."
    )

    assert send_pending_deliveries(published_members_briefing.pk) == {"sent": 0, "failed": 0}
    assert mailoutbox == []


def test_the_email_has_text_and_sanitised_html_and_a_stable_message_id(
    db, secretariat_user, mailoutbox, settings
):
    settings.PORTAL_URL = "https://portal.example:8443"
    contact = ContactFactory(name="Ana Reyes")
    briefing = BriefingFactory(members=True, body="**Note** <script>alert(1)</script>")
    services.publish(briefing=briefing, by=secretariat_user)

    send_pending_deliveries(briefing.pk)

    message = mailoutbox[0]
    html = message.alternatives[0].content
    assert "Dear Ana Reyes," in message.body
    assert "<strong>Note</strong>" in html
    assert "<script>" not in html
    expected_id = f"<briefing.{briefing.pk}.{contact.pk}@portal.example>"
    assert message.extra_headers["Message-ID"] == expected_id


def test_the_database_worker_sends_the_queued_briefing(
    published_members_briefing, recipients, mailoutbox, run_worker
):
    run_worker()

    assert addresses(mailoutbox) == Counter({contact.email: 1 for contact in recipients})
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_resume_queues_a_sender_for_a_briefing_a_dead_worker_left_half_sent(
    published_members_briefing, recipients, dying_mailer, run_worker
):
    # The worker's task dies in the middle of the briefing; no worker runs it again.
    dying_mailer.deliveries_before_death = 2
    run_worker()
    assert DBTaskResult.objects.get().status == "FAILED"
    assert len(mail.outbox) == 2
    dying_mailer.deliveries_before_death = None

    call_command("resume_briefing_deliveries", verbosity=0)
    run_worker()

    assert addresses(mail.outbox) == Counter({contact.email: 1 for contact in recipients})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
# Real commits from two connections; serialized_rollback restores the production data (topics,
# the Secretariat group, the ISOC agreement) that flushing the database after the test removes.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_another_sender_holds_is_skipped_not_sent_twice(
    recipients, secretariat_user, mailoutbox
):
    briefing = BriefingFactory(members=True)
    services.publish(briefing=briefing, by=secretariat_user)
    held = briefing.deliveries.order_by("pk").first()
    locked, release = threading.Event(), threading.Event()

    def other_sender():
        # A second sender in another connection, in the middle of sending `held`.
        with transaction.atomic():
            BriefingDelivery.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(timeout=30)
        connection.close()

    thread = threading.Thread(target=other_sender)
    thread.start()
    locked.wait(timeout=30)
    try:
        result = send_pending_deliveries(briefing.pk)
    finally:
        release.set()
        thread.join()

    assert result == {"sent": 5, "failed": 0}
    assert held.contact.email not in addresses(mailoutbox)
    assert BriefingDelivery.objects.get(pk=held.pk).status == PENDING


def test_the_email_names_the_briefings_list_on_the_portals_domain(
    published_members_briefing, mailoutbox, settings
):
    settings.PORTAL_URL = "https://portal.example:8443"

    send_pending_deliveries(published_members_briefing.pk)

    raw = mailoutbox[0].message().as_bytes()
    assert b"\nList-Id: CANTO Briefings <briefings.portal.example>\n" in raw
