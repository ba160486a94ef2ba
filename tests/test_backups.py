"""Backups: the round trip through an empty PostgreSQL database, the refusals, and what a
failed backup leaves behind."""

import errno
import hashlib
import io
import os
import shutil
import stat
import tarfile
import tempfile
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


@pytest.fixture
def temporary_folder(tmp_path_factory, monkeypatch):
    """Where a backup builds its archive, so that a test can see what it leaves there."""
    folder = tmp_path_factory.mktemp("temporary")
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def permissive_umask():
    previous = os.umask(0)
    yield
    os.umask(previous)


class FillingDisk:
    """A file on a disk with `room` bytes left: writing more raises ENOSPC, as a full disk
    does, after writing what fits."""

    def __init__(self, file, room):
        self._file, self._room = file, room

    def write(self, data):
        written = self._file.write(data[: self._room])
        self._room -= written
        if written < len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return written

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._file.close()


def interrupt(*args, **kwargs):
    raise KeyboardInterrupt


def fill_disk(monkeypatch, folder: Path, room: int) -> None:
    """Files written into `folder`, by name or by descriptor, have `room` bytes left."""
    real_open = io.open

    def open_on_a_filling_disk(file, mode="r", *args, **kwargs):
        opened = real_open(file, mode, *args, **kwargs)
        where = Path(os.readlink(f"/proc/self/fd/{opened.fileno()}"))
        if where.parent == folder and set(mode) & set("wax+"):
            return FillingDisk(opened, room)
        return opened

    monkeypatch.setattr(io, "open", open_on_a_filling_disk)


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


def test_a_malformed_backup_key_is_refused_before_anything_is_written(
    tmp_path_factory, tmp_private_storage, temporary_folder, monkeypatch
):
    monkeypatch.setenv("BACKUP_KEY", "not-a-fernet-key")
    folder = tmp_path_factory.mktemp("backups") / "daily"

    with pytest.raises(CommandError, match="BACKUP_KEY is not a Fernet key"):
        call_command("backup", "--output-dir", str(folder), stdout=StringIO())

    assert not folder.exists()
    assert list(temporary_folder.iterdir()) == []


def test_a_backup_interrupted_while_encrypting_leaves_no_plaintext_behind(
    tmp_path_factory, tmp_private_storage, temporary_folder, monkeypatch
):
    AgreementDocumentFactory()
    monkeypatch.setenv("BACKUP_KEY", Fernet.generate_key().decode())
    monkeypatch.setattr(Fernet, "encrypt", interrupt)
    folder = tmp_path_factory.mktemp("backups")

    with pytest.raises(KeyboardInterrupt):
        call_command("backup", "--output-dir", str(folder), stdout=StringIO())

    assert list(folder.iterdir()) == []
    assert list(temporary_folder.iterdir()) == []


def test_a_backup_that_fills_the_disk_says_so_and_leaves_no_partial_archive(
    tmp_path_factory, tmp_private_storage, temporary_folder, monkeypatch
):
    AgreementDocumentFactory()
    monkeypatch.setenv("BACKUP_KEY", Fernet.generate_key().decode())
    folder = tmp_path_factory.mktemp("backups")
    fill_disk(monkeypatch, folder, room=1024)

    with pytest.raises(CommandError, match="No space left on device"):
        call_command("backup", "--output-dir", str(folder), stdout=StringIO())

    assert list(folder.iterdir()) == []
    assert list(temporary_folder.iterdir()) == []


def test_backups_are_readable_by_their_owner_only_whatever_the_umask(
    tmp_path_factory, tmp_private_storage, permissive_umask, monkeypatch
):
    monkeypatch.setenv("BACKUP_KEY", Fernet.generate_key().decode())
    folder = tmp_path_factory.mktemp("backups") / "daily"

    call_command("backup", "--output-dir", str(folder), stdout=StringIO())

    (archive,) = folder.iterdir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
