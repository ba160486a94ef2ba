"""Rules of information exchanges with partners."""

from django.db.models import Q

from agreements.models import (
    Agreement,
    InformationExchange,
)
from agreements.services.register import confidentialities_visible_to


def exchanges_visible_to(roles):
    """Information exchanges whose own audience admits the viewer, and whose agreement, when
    they name one, the viewer may see: the rule of agreement documents."""
    return InformationExchange.objects.filter(
        Q(agreement__isnull=True) | Q(agreement__in=Agreement.objects.visible_to(roles)),
        audience__in=confidentialities_visible_to(roles),
    )
