"""Writes the example import files in docs/import-examples/ from the demo data.

The demo members and their contacts are built inside a transaction that is rolled back, so the
command leaves the database as it found it and exports only the demo data, whatever else the
database holds."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from canto_portal.spreadsheets.formats import CSV, XLSX
from members import demo
from members.models import Contact, Member
from members.resources import ContactResource, MemberResource


class Command(BaseCommand):
    help = "Writes the demo members and contacts as CSV and XLSX import examples."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(Path(settings.BASE_DIR) / "docs" / "import-examples"),
            help="Folder for the files (default: docs/import-examples).",
        )

    def handle(self, *args, output_dir, **options):
        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        with transaction.atomic():
            members = Member.objects.filter(pk__in=[m.pk for m in demo.seed()])
            contacts = Contact.objects.filter(member__in=members)
            written = [
                *self.write(folder, "members", MemberResource, members),
                *self.write(folder, "contacts", ContactResource, contacts),
            ]
            transaction.set_rollback(True)
        for path, rows in written:
            self.stdout.write(f"{path}: {rows} rows")

    def write(self, folder, name, resource_class, queryset):
        for file_format in (CSV(), XLSX()):
            # Native dates in XLSX so the spreadsheet can sort them; text in CSV.
            native = isinstance(file_format, XLSX)
            dataset = resource_class().export(queryset, force_native_type=native)
            data = file_format.export_data(dataset)
            path = folder / f"{name}.{file_format.get_extension()}"
            if isinstance(data, str):
                path.write_text(data, encoding="utf-8", newline="")
            else:
                path.write_bytes(data)
            yield path, dataset.height
