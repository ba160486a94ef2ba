"""Production data: the briefing topics named in the 2015 agreement, and the Secretariat
group's permissions on everything in the agreements app."""

from django.db import migrations

from canto_portal.migration_helpers import grant_to_secretariat, revoke_from_secretariat

TOPICS = [
    ("IP numbering", "ip-numbering"),
    ("VoIP blocking", "voip-blocking"),
    ("Cybersecurity", "cybersecurity"),
    ("Hacktivism", "hacktivism"),
    ("Spam", "spam"),
]

MODELS = [
    "partner",
    "agreement",
    "signatory",
    "commitment",
    "agreementdocument",
    "activity",
    "review",
    "council",
    "seat",
    "appointment",
    "topic",
    "briefing",
    "briefingmove",
    "briefingdelivery",
    "informationexchange",
    "sentalert",
]
PERMISSIONS = [
    f"{action}_{model}" for model in MODELS for action in ["view", "add", "change", "delete"]
]


def forwards(apps, schema_editor):
    Topic = apps.get_model("agreements", "Topic")
    for name, slug in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})
    grant_to_secretariat(apps, "agreements", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_from_secretariat(apps, "agreements", PERMISSIONS)
    apps.get_model("agreements", "Topic").objects.filter(
        slug__in=[slug for _, slug in TOPICS], briefings__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_isoc_advisory_council"),
        ("members", "0002_secretariat_group_and_categories"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
