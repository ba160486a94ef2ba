"""Backups: the round trip through an empty PostgreSQL database, and the refusals."""

import hashlib
import shutil
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from agreements.models import AgreementDocument
from tests.agreements.factories import AgreementDocumentFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="backups are pg_dump and pg_restore: run with DATABASE_URL=postgres://…",
    ),
    # Real commits, seen by pg_dump's own connection; serialized_rollback restores the
    # production data for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def row_counts():
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def drop_everything():
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


def back_up(tmp_path_factory):
    """Backs up into a folder of its own (tmp_path is the private storage's)."""
    folder = tmp_path_factory.mktemp("backups")
    call_command("backup", "--output-dir", str(folder), stdout=StringIO())
    return next(folder.iterdir())


def checksum(document):
    with document.file.open("rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def test_a_backup_restored_into_an_empty_database_brings_back_every_row_and_document(
    tmp_path_factory, tmp_private_storage
):
    call_command("seed_demo", stdout=StringIO())
    document = AgreementDocumentFactory()
    counts, document_checksum = row_counts(), checksum(document)
    archive = back_up(tmp_path_factory)

    drop_everything()
    shutil.rmtree(tmp_private_storage)
    call_command("restore", str(archive), stdout=StringIO())

    assert row_counts() == counts
    assert checksum(AgreementDocument.objects.get(pk=document.pk)) == document_checksum


def test_an_encrypted_backup_is_restored_with_its_key_and_refused_with_another(
    tmp_path_factory, tmp_private_storage, monkeypatch
):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("BACKUP_KEY", key)
    document = AgreementDocumentFactory()
    archive = back_up(tmp_path_factory)
    drop_everything()
    shutil.rmtree(tmp_private_storage)

    monkeypatch.setenv("BACKUP_KEY", Fernet.generate_key().decode())
    with pytest.raises(CommandError, match="does not open this archive"):
        call_command("restore", str(archive))
    monkeypatch.setenv("BACKUP_KEY", key)
    call_command("restore", str(archive), stdout=StringIO())

    assert archive.name.endswith(".enc")
    assert AgreementDocument.objects.filter(pk=document.pk).exists()


def test_restore_refuses_a_database_that_is_not_empty(tmp_path_factory):
    archive = back_up(tmp_path_factory)

    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(archive))


def test_restore_refuses_an_archive_whose_files_do_not_match_the_manifest(
    tmp_path_factory, tmp_private_storage
):
    AgreementDocumentFactory()
    archive = back_up(tmp_path_factory)
    damaged = tamper_with_a_document(archive, tmp_path_factory.mktemp("tampered"))
    drop_everything()
    shutil.rmtree(tmp_private_storage)

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(damaged))
    # The intact archive brings the database back for the tests that follow.
    call_command("restore", str(archive), stdout=StringIO())


def tamper_with_a_document(archive: Path, tmp_path: Path) -> Path:
    content = tmp_path / "content"
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(content, filter="data")
    pdf = next((content / "private").rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"tampered")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        for item in content.iterdir():
            tar.add(item, arcname=item.name)
    return damaged
