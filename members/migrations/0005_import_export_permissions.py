"""Import and export permissions for the register, granted to the Secretariat group.

django-import-export checks "<app>.import_<model>" and "<app>.export_<model>" (settings
IMPORT_EXPORT_IMPORT_PERMISSION_CODE / EXPORT_PERMISSION_CODE). They are created here as plain
permission rows rather than Meta.permissions, so that no model changes for them."""

from django.db import migrations

from canto_portal.migration_helpers import grant_to_secretariat, revoke_from_secretariat

MODELS = {
    "members": {
        "member": "members",
        "contact": "contacts",
        "dues": "dues",
        "boardterm": "board terms",
    },
    "agreements": {
        "partner": "partners",
        "agreement": "agreements",
        "commitment": "commitments",
        "appointment": "appointments",
    },
}


def codenames(app_label):
    return [f"{action}_{model}" for model in MODELS[app_label] for action in ("import", "export")]


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for app_label, models in MODELS.items():
        # Creates the content types (and default permissions) a fresh database lacks so far.
        grant_to_secretariat(apps, app_label, [])
        for model, plural in models.items():
            content_type = ContentType.objects.get(app_label=app_label, model=model)
            for action in ("import", "export"):
                Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {plural}"},
                )
        grant_to_secretariat(apps, app_label, codenames(app_label))


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for app_label in MODELS:
        revoke_from_secretariat(apps, app_label, codenames(app_label))
        Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames(app_label)
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_contact_receives_briefings"),
        ("agreements", "0004_topics_and_secretariat_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
