import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canto_portal.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restores an archive written by `backup` into an empty database and an empty private "
        "files folder, after checking every checksum. Encrypted archives need BACKUP_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        try:
            manifest = restore_backup(archive=archive, key=os.environ.get("BACKUP_KEY", ""))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} "
            f"({len(manifest['files'])} files checked)."
        )
