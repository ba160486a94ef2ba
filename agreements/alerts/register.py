"""Alerts about the agreement register: expiries, reviews overdue, commitments past due."""

from django.utils.translation import gettext_lazy as _

from agreements.alerts.sending import Alert, recipients
from agreements.models import Agreement, Commitment
from canto_portal.links import absolute_url
from members.models import BoardTerm, Contact

# Days before an expiry at which the responsible staff member and the Board are told.
EXPIRY_NOTICE_DAYS = (90, 30, 7)


def board_emails(today):
    """The email addresses of today's Board: contacts with a current board term."""
    return list(
        Contact.objects.filter(board_terms__in=BoardTerm.objects.current(on=today))
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def expiry_threshold(days_left):
    """The tightest notice period an expiry `days_left` away falls in, or None. A run that
    missed days still sends the notice that fits, and only that one."""
    fitting = [days for days in EXPIRY_NOTICE_DAYS if 0 <= days_left <= days]
    return min(fitting) if fitting else None


def agreement_alert(agreement, board, key, subject, subject_values, template, **context):
    """An alert about one agreement, to its responsible staff member and the Board, linking
    to the agreement's page."""
    return Alert(
        key=key,
        subject=subject,
        subject_values=subject_values,
        recipients=recipients(agreement.responsible, board),
        template=template,
        context={
            "agreement": agreement,
            "url": absolute_url(agreement.get_absolute_url()),
            **context,
        },
    )


def expiring_agreements(today):
    board = board_emails(today)
    agreements = Agreement.objects.expiring_within(max(EXPIRY_NOTICE_DAYS), today).select_related(
        "responsible"
    )
    for agreement in agreements:
        days_left = (agreement.expires_on - today).days
        threshold = expiry_threshold(days_left)
        if threshold is None:
            continue
        yield agreement_alert(
            agreement,
            board,
            key=f"agreement-expiry:{agreement.reference}:{agreement.expires_on}:{threshold}d",
            subject=_("%(reference)s expires in %(days)s days, on %(date)s"),
            subject_values={
                "reference": agreement.reference,
                "days": days_left,
                "date": agreement.expires_on,
            },
            template="emails/alert_expiring",
            days_left=days_left,
        )


def overdue_reviews(today):
    board = board_emails(today)
    for agreement in Agreement.objects.review_overdue(today).select_related("responsible"):
        yield agreement_alert(
            agreement,
            board,
            key=f"review-overdue:{agreement.reference}:{agreement.next_review_on}",
            subject=_("Board review of %(reference)s is overdue since %(date)s"),
            subject_values={"reference": agreement.reference, "date": agreement.next_review_on},
            template="emails/alert_review_overdue",
        )


def past_due_commitments(today):
    board = board_emails(today)
    commitments = (
        Commitment.objects.filter(
            due_on__lt=today,
            agreement__status__in=[Agreement.Status.ACTIVE, Agreement.Status.NEGOTIATION],
        )
        .exclude(status__in=[Commitment.Status.MET, Commitment.Status.LAPSED])
        .select_related("agreement__responsible")
    )
    for commitment in commitments:
        agreement = commitment.agreement
        yield agreement_alert(
            agreement,
            board,
            key=f"commitment-past-due:{agreement.reference}:{commitment.number}:{commitment.due_on}",
            subject=_("Commitment %(number)s of %(reference)s was due on %(date)s"),
            subject_values={
                "number": commitment.number,
                "reference": agreement.reference,
                "date": commitment.due_on,
            },
            template="emails/alert_commitment_past_due",
            commitment=commitment,
        )
