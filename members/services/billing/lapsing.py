"""Lapsing: members long overdue are proposed, and the Secretariat confirms or dismisses each
proposal; nobody is lapsed without them."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Invoice, LapseProposal, Member
from members.services.billing.refused import BillingRefused


@transaction.atomic
def propose_lapses(*, today: datetime.date | None = None) -> list[LapseProposal]:
    """A proposal for each active member with a dues invoice open more than
    DUES_LAPSE_PROPOSAL_DAYS past its due date, once per invoice. Nobody is lapsed here."""
    overdue = (
        Invoice.objects.dues()
        .overdue(on=today, days=settings.DUES_LAPSE_PROPOSAL_DAYS)
        .filter(member__status=Member.Status.ACTIVE)
        .exclude(lapse_proposals__isnull=False)
        .exclude(member__lapse_proposals__status=LapseProposal.Status.PENDING)
        .order_by("member", "due_on")
    )
    proposals: dict[int, LapseProposal] = {}
    for invoice in overdue:
        proposals.setdefault(
            invoice.member_id, LapseProposal(member_id=invoice.member_id, invoice=invoice)
        )
    for proposal in proposals.values():
        proposal.save()
    return list(proposals.values())


def pending(proposal: LapseProposal) -> LapseProposal:
    proposal = (
        LapseProposal.objects.select_for_update().select_related("member").get(pk=proposal.pk)
    )
    if proposal.status != LapseProposal.Status.PENDING:
        raise BillingRefused(_("This proposal has been decided already."))
    return proposal


@transaction.atomic
def confirm_lapse(*, proposal: LapseProposal, by, note: str = "") -> LapseProposal:
    """The Secretariat lapses the member."""
    proposal = pending(proposal)
    member = proposal.member
    if member.status != Member.Status.LAPSED:
        member.status = Member.Status.LAPSED
        if refusal := member.status_move_error():
            raise BillingRefused(refusal)
        member.save()
    return decide(proposal, LapseProposal.Status.CONFIRMED, by, note)


@transaction.atomic
def dismiss_lapse(*, proposal: LapseProposal, by, note: str = "") -> LapseProposal:
    return decide(pending(proposal), LapseProposal.Status.DISMISSED, by, note)


def decide(proposal: LapseProposal, status: str, by, note: str) -> LapseProposal:
    proposal.status = status
    proposal.decided_on = timezone.localdate()
    proposal.decided_by = by
    proposal.note = note
    proposal.save()
    return proposal
