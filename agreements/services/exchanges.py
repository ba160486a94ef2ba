"""Rules of information exchanges with partners."""

from django.db.models import Q

from agreements.models import (
    Agreement,
    Clearance,
    InformationExchange,
)


def exchanges_visible_to(clearance: Clearance):
    """Information exchanges whose own confidentiality admits the viewer, and whose agreement, when
    they name one, the viewer may see: the rule of agreement documents."""
    return InformationExchange.objects.filter(
        Q(agreement__isnull=True) | Q(agreement__in=Agreement.objects.visible_to(clearance)),
        confidentiality__in=clearance.confidentialities,
    )
