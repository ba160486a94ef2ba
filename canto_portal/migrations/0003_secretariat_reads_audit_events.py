from django.db import migrations

from canto_portal.migration_helpers import grant_to_secretariat, revoke_from_secretariat

# Reading only: nobody is granted add, change or delete on the audit trail.
CODENAMES = ["view_auditevent"]


def forwards(apps, schema_editor):
    grant_to_secretariat(apps, "canto_portal", CODENAMES)


def backwards(apps, schema_editor):
    revoke_from_secretariat(apps, "canto_portal", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("canto_portal", "0002_audit_event_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
