import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canto_portal.backups import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = (
        "Writes one timestamped archive: the PostgreSQL dump and the private files, with a "
        "manifest of SHA-256 checksums; encrypted when BACKUP_KEY is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, default=Path("backups"))
        parser.add_argument(
            "--keep-days",
            type=int,
            default=None,
            help="Afterwards, delete this command's archives older than this many days.",
        )

    def handle(self, *args, output_dir, keep_days, **options):
        try:
            archive = create_backup(output_dir=output_dir, key=os.environ.get("BACKUP_KEY", ""))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Wrote {archive} ({archive.stat().st_size} bytes).")
        if keep_days is not None:
            for old in prune_backups(output_dir=output_dir, keep_days=keep_days):
                self.stdout.write(f"Deleted {old}.")
