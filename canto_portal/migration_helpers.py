"""The Secretariat's group, named once, and the helpers of data migrations that grant it its
permissions. Permissions are normally created after all migrations run; a data migration has
to create them first."""

from django.contrib.auth.management import create_permissions

SECRETARIAT_GROUP = "Secretariat"


def grant_to_secretariat(apps, app_label, codenames):
    app_config = apps.get_app_config(app_label)
    # Migration state app configs have no models module; create_permissions skips those.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*permissions)


def revoke_from_secretariat(apps, app_label, codenames):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=SECRETARIAT_GROUP).first()
    if group:
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def copy_into_column(apps, app_label, model_name, fields, suffix):
    """Copies each field's value into its `<field>_<suffix>` column, for rows where that column
    is still empty: a field made translatable keeps what it held as its default language's."""
    model = apps.get_model(app_label, model_name)
    for row in model.objects.all():
        for name in fields:
            if getattr(row, f"{name}_{suffix}") in (None, ""):
                setattr(row, f"{name}_{suffix}", getattr(row, name))
        row.save(update_fields=[f"{name}_{suffix}" for name in fields])
