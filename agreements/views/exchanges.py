"""Information exchanged with partners, and its attachments."""

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import ListView

from agreements.models import Confidentiality
from agreements.services import (
    Clearance,
    exchanges_visible_to,
)
from agreements.views.common import private_pdf_response
from canto_portal import audit
from canto_portal.models import AuditAction
from members.access import ANYONE, RequiresAccess, hidden, requires
from members.roles import roles_for


class ExchangeListView(RequiresAccess, ListView):
    """Information exchanged with partners, by the same rules as agreement documents."""

    access_rule = ANYONE
    template_name = "agreements/exchange_list.html"
    context_object_name = "exchanges"
    paginate_by = 20

    def get_queryset(self):
        return (
            exchanges_visible_to(Clearance.of(roles_for(self.request)))
            .select_related("partner", "agreement")
            .order_by("-exchanged_on", "title", "pk")
        )


@require_GET
@requires(ANYONE)
def exchange_attachment(request, pk):
    """An exchange's PDF, only when the exchange (and its agreement) admit the viewer."""
    exchange = (
        exchanges_visible_to(Clearance.of(roles_for(request)))
        .filter(pk=pk)
        .exclude(attachment="")
        .first()
    )
    if exchange is None:
        return hidden(request, _("No such attachment."))
    # Who opened a members-only or board-only attachment is kept in the audit trail.
    if exchange.confidentiality != Confidentiality.PUBLIC or (
        exchange.agreement and exchange.agreement.confidentiality != Confidentiality.PUBLIC
    ):
        audit.record(action=AuditAction.DOWNLOAD, request=request, obj=exchange)
    return private_pdf_response(
        exchange.attachment,
        f"{exchange.exchanged_on:%Y-%m-%d}-{slugify(exchange.title) or 'exchange'}.pdf",
    )
