from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from canto_portal.models import AuditEvent


class Command(BaseCommand):
    help = "Deletes audit events older than AUDIT_RETENTION_DAYS. Run daily."

    def handle(self, *args, **options):
        before = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
        deleted = AuditEvent.objects.prune(before=before)
        self.stdout.write(f"Deleted {deleted} audit events recorded before {before:%Y-%m-%d}.")
