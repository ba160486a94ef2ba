"""Import and export of payments (bank statements), granted to the Secretariat group, as
0005 did for the register's lists."""

from django.db import migrations

from canto_portal.migration_helpers import grant_to_secretariat, revoke_from_secretariat

CODENAMES = ["import_payment", "export_payment"]


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # Creates the content types (and default permissions) a fresh database lacks so far.
    grant_to_secretariat(apps, "members", [])
    content_type = ContentType.objects.get(app_label="members", model="payment")
    for action in ("import", "export"):
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_payment",
            defaults={"name": f"Can {action} payments"},
        )
    grant_to_secretariat(apps, "members", CODENAMES)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    revoke_from_secretariat(apps, "members", CODENAMES)
    Permission.objects.filter(content_type__app_label="members", codename__in=CODENAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0009_dues_invoices")]

    operations = [migrations.RunPython(forwards, backwards)]
