"""What a member operator should see to first on their dashboard: the organisation's standing,
dues owed, and the terms of its people that are ending. Other apps add items to the same
panel (canto_portal/attention.py): the agreements app adds council seat terms and briefings
published since the last visit."""

import datetime
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from canto_portal.attention import (
    MEMBER,
    SECRETARIAT,
    AttentionItem,
    Provider,
    Severity,
    provides,
)
from canto_portal.formats import short_date
from canto_portal.fragments import NotKept, cached, seconds_until
from members.apps import MEMBERS
from members.balances import billing_summary
from members.models import BoardTerm, Dues, Invitation, Invoice, Member

# How far ahead a term counts as "ending".
ENDING_WITHIN_DAYS = 90


@dataclass(frozen=True)
class Visit:
    """Whom the member panel is for: the organisation (its key and status), and the login's
    previous visit (None on a first visit)."""

    member: int
    status: str
    last_visit: datetime.datetime | None
    today: datetime.date


@provides(MEMBER, shows=[MEMBERS])
def standing(visit: Visit) -> Iterator[AttentionItem]:
    if visit.status != Member.Status.ACTIVE:
        yield AttentionItem(
            label=_("Membership %(status)s") % {"status": Member.Status(visit.status).label},
            link=reverse("members:portal") + "#organisation",
            severity=Severity.OVERDUE,
            detail=_("Benefits are on hold until the Secretariat restores the membership."),
        )


@provides(MEMBER, shows=[MEMBERS])
def invoices_overdue(visit: Visit) -> Iterator[AttentionItem]:
    """Money owed is shown in full by the dashboard's balance; the panel says how many
    invoices are past their due date and leads there. Counted from the balance the dashboard
    has just read, not by a query of its own."""
    yield AttentionItem(
        label=_("Invoices overdue"),
        count=len(billing_summary(visit.member).overdue),
        link=reverse("members:portal") + "#balance-heading",
        severity=Severity.OVERDUE,
    )


@provides(MEMBER, shows=[MEMBERS])
def board_terms_ending(visit: Visit) -> Iterator[AttentionItem]:
    ending = list(
        BoardTerm.objects.current(visit.today)
        .filter(
            contact__member=visit.member,
            ends_on__lte=visit.today + datetime.timedelta(days=ENDING_WITHIN_DAYS),
        )
        .select_related("contact")
        .order_by("ends_on")
    )
    if ending:
        yield AttentionItem(
            label=ngettext(
                "%(count)d board term of your people ends within 90 days",
                "%(count)d board terms of your people end within 90 days",
                len(ending),
            )
            % {"count": len(ending)},
            count=len(ending),
            link=reverse("members:portal") + "#contacts",
            severity=Severity.SOON,
            detail=", ".join(
                f"{term.contact.name} ({short_date(term.ends_on)})" for term in ending
            ),
        )


@dataclass(frozen=True)
class Day:
    """The day a staff panel's counts are for."""

    on: datetime.date


@dataclass(frozen=True)
class Counted:
    """A kept provider's items, and the moment they stop holding (None: not before the data
    changes or the day turns)."""

    items: list[AttentionItem]
    until: datetime.datetime | None = None


def kept(*, shows: Iterable[str]) -> Callable[[Callable[[datetime.date], Any]], Provider]:
    """A staff panel's provider whose items, counted as of a day from the data of `shows`
    alone, are kept in the cache until that data changes. A provider whose counts also move
    with the time of day (an invitation expires at a time) returns them as `Counted`, with
    the moment they stop holding. Only today's are kept: another day is counted afresh, as
    each date a visitor types would add an entry."""
    shows = sorted(shows)

    def decorate(provider: Callable[[datetime.date], Any]) -> Provider:
        name = f"attention:{provider.__module__}.{provider.__name__}"

        def count(day: Day) -> Counted | NotKept:
            given = provider(day.on)
            counted = given if isinstance(given, Counted) else Counted(list(given))
            return counted if day.on == timezone.localdate() else NotKept(counted)

        @functools.wraps(provider)
        def from_cache(today: datetime.date) -> list[AttentionItem]:
            counted = cached(
                name,
                count,
                shows=shows,
                key=Day(today),
                timeout=lambda counted: seconds_until(counted.until),
            )
            return counted.items

        return from_cache

    return decorate


def admin_list(model, **filters) -> str:
    """A change list of the back office, filtered."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


@provides(SECRETARIAT, shows=[MEMBERS])
@kept(shows=[MEMBERS])
def register_in_arrears(today: datetime.date) -> Iterator[AttentionItem]:
    yield AttentionItem(
        label=_("Members not in good standing"),
        count=Member.objects.current().not_in_good_standing().count(),
        link=admin_list(Member, standing="not"),
        severity=Severity.OVERDUE,
    )
    yield AttentionItem(
        label=_("Invoices overdue"),
        count=Invoice.objects.overdue(on=today).count(),
        link=admin_list(Invoice),
        severity=Severity.OVERDUE,
    )
    yield AttentionItem(
        label=_("Dues overdue"),
        count=Dues.objects.filter(status=Dues.Status.OVERDUE).count(),
        link=admin_list(Dues, status__exact=Dues.Status.OVERDUE),
        severity=Severity.OVERDUE,
    )


@provides(SECRETARIAT, shows=[MEMBERS])
@kept(shows=[MEMBERS])
def people(today: datetime.date) -> Counted:
    pending = Q(pk__in=Invitation.objects.pending().values("pk"))
    invitations = Invitation.objects.aggregate(
        pending=Count("pk", filter=pending),
        expired=Count("pk", filter=Q(pk__in=Invitation.objects.expired().values("pk"))),
        # When the next pending invitation expires, and these counts move.
        next_expiry=Min("expires_at", filter=pending),
    )
    items = [
        AttentionItem(
            label=_("Board terms ending within 90 days"),
            count=BoardTerm.objects.current(today)
            .filter(ends_on__lte=today + datetime.timedelta(days=ENDING_WITHIN_DAYS))
            .count(),
            link=admin_list(BoardTerm, term="ending"),
            severity=Severity.SOON,
        ),
        AttentionItem(
            label=_("Invitations pending"),
            count=invitations["pending"],
            link=admin_list(Invitation, state="pending"),
        ),
        AttentionItem(
            label=_("Invitations expired, never accepted"),
            count=invitations["expired"],
            link=admin_list(Invitation, state="expired"),
            severity=Severity.SOON,
        ),
    ]
    return Counted(items, until=invitations["next_expiry"])
