"""Production data: ISOC's Advisory Council, on which the 2015 agreement gives CANTO two
principal representatives. On PostgreSQL the database itself refuses overlapping appointments
to one seat (an exclusion constraint over date ranges); SQLite has no such constraint, so the
model's validation checks the same rule there."""

from django.db import migrations

EXCLUSION = "appointment_no_overlap_per_seat"


def create_council(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    Council = apps.get_model("agreements", "Council")
    agreement = Agreement.objects.filter(reference="CANTO-AGR-2015-001").first()
    if agreement is None:
        return
    isoc = agreement.partners.get(short_name="ISOC")
    council, created = Council.objects.get_or_create(
        partner=isoc,
        name="ISOC Advisory Council",
        defaults={
            "agreement": agreement,
            "granted_principal_seats": 2,
            "granted_alternate_seats": 0,
            "term_months": 24,
            "max_consecutive_terms": 2,
            "description": "CANTO designates two principal representatives (commitment 2).",
        },
    )
    if created:
        council.seats.create(kind="principal", label="Principal seat 1")
        council.seats.create(kind="principal", label="Principal seat 2")


def remove_council(apps, schema_editor):
    Council = apps.get_model("agreements", "Council")
    Council.objects.filter(name="ISOC Advisory Council", seats__appointments__isnull=True).delete()


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE agreements_appointment ADD CONSTRAINT {EXCLUSION} "
        "EXCLUDE USING gist (seat_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&) "
        "WHERE (status <> 'withdrawn')"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE agreements_appointment DROP CONSTRAINT {EXCLUSION}")


class Migration(migrations.Migration):
    dependencies = [("agreements", "0002_isoc_agreement_2015")]

    operations = [
        migrations.RunPython(create_council, remove_council),
        migrations.RunPython(add_exclusion, drop_exclusion),
    ]
