from django.db import migrations, models


class Migration(migrations.Migration):
    """An exchange's level is a confidentiality, like an agreement's and a document's; the
    rename keeps every stored value."""

    dependencies = [("agreements", "0004_topics_and_secretariat_permissions")]

    operations = [
        migrations.RenameField(
            model_name="informationexchange", old_name="audience", new_name="confidentiality"
        ),
        migrations.AlterField(
            model_name="informationexchange",
            name="confidentiality",
            field=models.CharField(
                choices=[
                    ("public", "Public"),
                    ("members", "Members"),
                    ("board", "Board and Secretariat"),
                ],
                default="board",
                max_length=20,
                verbose_name="confidentiality",
            ),
        ),
    ]
