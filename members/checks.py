"""What `manage.py check --deploy` checks of the members app's settings."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def invoices_name_a_real_bank(app_configs, **kwargs):
    if settings.CANTO_BANK_DETAILS == settings.EXAMPLE_BANK_DETAILS:
        return [
            Warning(
                "Invoices and receipts print the demo's example bank details.",
                hint="Set CANTO_BANK_DETAILS to the account members pay into (deploy/env.example).",
                id="members.W001",
            )
        ]
    return []
