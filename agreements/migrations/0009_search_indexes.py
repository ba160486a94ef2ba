"""The search page's full-text indexes on PostgreSQL: without them every search reads and
parses every member profile, agreement and briefing. Each index is built from the same
SearchVector that agreements.search matches against, so that PostgreSQL recognises the
expression. SQLite searches by containment and has nothing to index."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# (app, model, index name, fields): the fields in the order agreements.search names them.
SEARCHED = [
    ("members", "Member", "member_search", ("name", "city", "description")),
    ("agreements", "Agreement", "agreement_search", ("reference", "title", "summary")),
    ("agreements", "Briefing", "briefing_search", ("title", "body")),
]


def indexes(apps):
    for app, model, name, fields in SEARCHED:
        index = GinIndex(SearchVector(*fields, config="simple"), name=name)
        yield apps.get_model(app, model), index


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in indexes(apps):
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0008_board_decisions"),
        ("members", "0009_dues_invoices"),
    ]

    operations = [migrations.RunPython(create, drop)]
