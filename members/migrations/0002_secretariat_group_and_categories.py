"""Production data: the Secretariat group with the permissions staff need, and the three
membership categories with their benefits."""

from decimal import Decimal

from django.db import migrations

from canto_portal.migration_helpers import grant_to_secretariat, revoke_from_secretariat

MEMBER_PERMISSIONS = [
    f"{action}_{model}"
    for model in ["member", "contact", "dues", "boardterm", "membershipcategory", "benefit"]
    for action in ["view", "add", "change", "delete"]
]

CATEGORIES = [
    (
        "Full",
        Decimal("5000.00"),
        True,
        1,
        "Operators licensed in a Caribbean country or territory; vote at the Annual General Meeting.",
    ),
    (
        "Associate",
        Decimal("2500.00"),
        False,
        2,
        "Vendors, carriers and service providers to the Caribbean telecommunications sector.",
    ),
    (
        "Affiliate",
        Decimal("1000.00"),
        False,
        3,
        "Regulators, academic institutions and not-for-profit bodies with an interest in the sector.",
    ),
]

BENEFITS = [
    ("Vote at the Annual General Meeting", ["Full"], 1),
    ("Eligibility for the Board of Directors", ["Full"], 2),
    (
        "Member rates at the Annual Conference and Trade Exhibition",
        ["Full", "Associate", "Affiliate"],
        3,
    ),
    ("Seats in CANTO working groups and committees", ["Full", "Associate"], 4),
    ("Regulatory and policy briefings", ["Full", "Associate", "Affiliate"], 5),
    ("Representation on partner councils such as ISOC's Advisory Council", ["Full"], 6),
    ("Listing in the members' directory", ["Full", "Associate", "Affiliate"], 7),
    ("Training programmes and workshops at member rates", ["Full", "Associate", "Affiliate"], 8),
]


def forwards(apps, schema_editor):
    grant_to_secretariat(apps, "members", MEMBER_PERMISSIONS)
    grant_to_secretariat(apps, "auth", ["view_user"])
    MembershipCategory = apps.get_model("members", "MembershipCategory")
    Benefit = apps.get_model("members", "Benefit")
    categories = {}
    for name, dues, voting, order, description in CATEGORIES:
        categories[name], _ = MembershipCategory.objects.get_or_create(
            name=name,
            defaults={
                "annual_dues": dues,
                "voting_rights": voting,
                "ordering": order,
                "description": description,
            },
        )
    for name, category_names, order in BENEFITS:
        benefit, _ = Benefit.objects.get_or_create(name=name, defaults={"ordering": order})
        benefit.categories.add(*(categories[c] for c in category_names))


def backwards(apps, schema_editor):
    revoke_from_secretariat(apps, "members", MEMBER_PERMISSIONS)
    revoke_from_secretariat(apps, "auth", ["view_user"])
    apps.get_model("members", "Benefit").objects.filter(name__in=[b[0] for b in BENEFITS]).delete()
    apps.get_model("members", "MembershipCategory").objects.filter(
        name__in=[c[0] for c in CATEGORIES], members__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_register"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
