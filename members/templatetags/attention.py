"""The member operator's attention panel at the top of the dashboard."""

import datetime
from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from canto_portal.attention import MEMBER, items_for, scopes_of
from canto_portal.fragments import fragment
from canto_portal.models import AuditAction, AuditEvent
from members.attention import Visit
from members.models import Member

register = template.Library()

# Where a session keeps the login's previous visit, read once per session.
PREVIOUS_VISIT = "attention_previous_visit"


@dataclass(frozen=True)
class MemberPanel:
    """What the panel depends on: the organisation and the previous visit."""

    member: int
    last_visit: datetime.datetime | None


@register.simple_tag(takes_context=True)
def member_attention(context, member) -> SafeString:
    """Items for `member`, briefings counted since the login's previous visit."""
    return fragment(
        "member-attention",
        "includes/attention_panel.html",
        member_panel,
        key=MemberPanel(member.pk, previous_visit(context["request"])),
        shows=scopes_of(MEMBER),
    )


def previous_visit(request) -> datetime.datetime | None:
    """The login before the one that opened this session, as the audit trail records logins;
    looked up once and kept in the session."""
    if PREVIOUS_VISIT not in request.session:
        logins = AuditEvent.objects.filter(actor=request.user, action=AuditAction.LOGIN)
        previous = logins.order_by("-at").values_list("at", flat=True)[1:2]
        at = next(iter(previous), None)
        request.session[PREVIOUS_VISIT] = at.isoformat() if at else ""
    stored = request.session[PREVIOUS_VISIT]
    return datetime.datetime.fromisoformat(stored) if stored else None


def member_panel(panel: MemberPanel) -> dict:
    visit = Visit(
        member=Member.objects.get(pk=panel.member),
        last_visit=panel.last_visit,
        today=timezone.localdate(),
    )
    return {"items": items_for(MEMBER, visit), "heading_id": "attention-heading"}
