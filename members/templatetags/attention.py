"""The member operator's attention panel at the top of the dashboard."""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from canto_portal.attention import MEMBER, items_for, scopes_of
from canto_portal.fragments import fragment
from members.attention import Visit
from members.visits import previous_visit

register = template.Library()


@register.simple_tag(takes_context=True)
def member_attention(context, member) -> SafeString:
    """Items for `member`, briefings counted since the login's previous visit; kept in the
    cache per organisation, status and previous visit (the day is part of every key)."""
    visit = Visit(
        member=member.pk,
        status=member.status,
        last_visit=previous_visit(context["request"]),
        today=timezone.localdate(),
    )
    return fragment(
        "member-attention",
        "includes/attention_panel.html",
        member_panel,
        key=visit,
        shows=scopes_of(MEMBER),
    )


def member_panel(visit: Visit) -> dict:
    return {"items": items_for(MEMBER, visit), "heading_id": "attention-heading"}
