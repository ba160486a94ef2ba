"""Demo Board business: two past meetings (the first with a carried resolution on the review of
the 2015 ISOC agreement), one to come, an open vote by circulation with two votes cast and one
director recused, minutes awaiting approval, and action items, one of them overdue.

Written once: a run that finds the demo's first meeting leaves everything as it is. Votes and
closings are written straight to the models, so that seeding queues no email."""

import datetime

from django.utils import timezone

from agreements.models import (
    ActionItem,
    AgendaItem,
    Agreement,
    AgreementInterest,
    BoardMeeting,
    Minutes,
    Resolution,
    Vote,
)
from agreements.services.board import recuse_interested_directors
from members.models import BoardTerm, Contact

ISOC = "CANTO-AGR-2015-001"
FIRST_MEETING = "Board meeting: review of the ISOC agreement"


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def decided(resolution, votes, closed_at):
    for director, choice in votes:
        Vote.objects.create(
            resolution=resolution, director=director, choice=choice, cast_at=closed_at
        )
    resolution.closed_at = closed_at
    resolution.save()


def seed_board_business(today):
    directors = list(
        Contact.objects.filter(board_terms__in=BoardTerm.objects.current(on=today))
        .select_related("member")
        .order_by("name")
        .distinct()
    )
    isoc = Agreement.objects.filter(reference=ISOC).first()
    other = Agreement.objects.exclude(reference=ISOC).order_by("reference").first()
    if (
        len(directors) < 5
        or isoc is None
        or other is None
        or BoardMeeting.objects.filter(title=FIRST_MEETING).exists()
    ):
        return
    chair = directors[0]

    first = BoardMeeting.objects.create(
        title=FIRST_MEETING,
        starts_at=at(today - datetime.timedelta(days=120), 10),
        place="CANTO Secretariat, Port of Spain",
        status=BoardMeeting.Status.MINUTED,
    )
    review_item = AgendaItem.objects.create(
        meeting=first,
        position=1,
        title="Review of the 2015 cooperation agreement with ISOC",
        agreement=isoc,
        review=isoc.reviews.first(),
    )
    AgendaItem.objects.create(
        meeting=first, position=2, title="Treasurer's report", report="Treasurer's report"
    )
    isoc_resolution = Resolution.objects.create(
        title="Continue the cooperation agreement with ISOC",
        text="Having reviewed the 2015 cooperation agreement with the Internet Society, the Board "
        "resolves to continue it and asks the Secretariat to resume the joint briefings.",
        method=Resolution.Method.MEETING,
        meeting=first,
        agenda_item=review_item,
        agreement=isoc,
        proposer=chair,
        opened_at=first.starts_at,
    )
    decided(
        isoc_resolution,
        [(director, Vote.Choice.APPROVE) for director in directors[:4]]
        + [(directors[4], Vote.Choice.ABSTAIN)],
        first.starts_at + datetime.timedelta(hours=1),
    )
    first_minutes = Minutes.objects.create(
        meeting=first,
        text="The Board reviewed the ISOC agreement: commitments on track; briefings to resume. "
        "Resolution to continue the agreement carried.",
    )

    second = BoardMeeting.objects.create(
        title="Board meeting: budget and workshops",
        starts_at=at(today - datetime.timedelta(days=30), 14),
        video_link="https://video.canto.example/board",
        status=BoardMeeting.Status.HELD,
    )
    approval_item = AgendaItem.objects.create(
        meeting=second, position=1, title="Approval of the minutes of the previous meeting"
    )
    AgendaItem.objects.create(meeting=second, position=2, title="Budget for the coming year")
    decided(
        Resolution.objects.create(
            title="Approve the minutes of the ISOC review meeting",
            text="The Board approves the minutes of its meeting on the review of the ISOC "
            "agreement.",
            method=Resolution.Method.MEETING,
            meeting=second,
            agenda_item=approval_item,
            approves_minutes=first_minutes,
            opened_at=second.starts_at,
        ),
        [(director, Vote.Choice.APPROVE) for director in directors[:5]],
        second.starts_at + datetime.timedelta(minutes=20),
    )
    # Awaiting approval at the next meeting.
    Minutes.objects.create(
        meeting=second,
        text="The Board discussed next year's budget and the regional workshops.",
    )

    coming = BoardMeeting.objects.create(
        title="Board meeting: renewals",
        starts_at=at(today + datetime.timedelta(days=30), 10),
        video_link="https://video.canto.example/board",
    )
    AgendaItem.objects.create(
        meeting=coming, position=1, title="Approval of the minutes of the budget meeting"
    )
    AgendaItem.objects.create(meeting=coming, position=2, title=str(other), agreement=other)

    # The last director's organisation sponsors the agreement: recused automatically.
    AgreementInterest.objects.get_or_create(
        agreement=other,
        member=directors[-1].member,
        defaults={"kind": AgreementInterest.Kind.SPONSOR},
    )
    circulation = Resolution.objects.create(
        title=f"Renew {other.reference}",
        text=f"The Board renews {other} for two years on the same terms.",
        method=Resolution.Method.CIRCULATION,
        agreement=other,
        proposer=chair,
        deadline=at(today + datetime.timedelta(days=5), 17),
    )
    recuse_interested_directors(circulation)
    for director, choice in [
        (directors[0], Vote.Choice.APPROVE),
        (directors[1], Vote.Choice.OPPOSE),
    ]:
        Vote.objects.create(resolution=circulation, director=director, choice=choice)

    for title, owner, due_in, meeting in [
        ("Send ISOC the list of joint briefings", directors[1], -10, first),
        ("Circulate the draft budget to members", directors[2], 14, second),
        ("Book the venue for the renewals meeting", chair, 21, coming),
    ]:
        ActionItem.objects.create(
            title=title,
            owner_contact=owner,
            due_on=today + datetime.timedelta(days=due_in),
            meeting=meeting,
        )
