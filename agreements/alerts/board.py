"""Alerts about the Board's action items: once on the day one is due, once when overdue."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.alerts.sending import Alert
from agreements.models import ActionItem
from canto_portal.links import absolute_url


def action_items_due(today):
    items = ActionItem.objects.open().filter(due_on__lte=today)
    url = absolute_url(reverse("agreements:board_meetings"))
    for item in items.select_related("owner_contact", "owner_staff"):
        overdue = item.is_overdue(today)
        yield Alert(
            key=f"board-action-{'overdue' if overdue else 'due'}:{item.pk}:{item.due_on}",
            subject=(
                _("Action item overdue since %(date)s: %(title)s")
                if overdue
                else _("Action item due today: %(title)s")
            ),
            subject_values={"title": item.title, "date": item.due_on},
            recipients=[item.owner_email] if item.owner_email else [],
            template="emails/board_action_item",
            context={"item": item, "overdue": overdue, "url": url},
        )
