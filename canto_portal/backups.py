"""Backups: one archive holding the PostgreSQL dump and the private files (agreement
documents, exchange attachments), with a manifest of SHA-256 checksums, optionally encrypted
with Fernet (BACKUP_KEY). `manage.py backup` writes one; `manage.py restore` brings one back
into an empty database."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken
from django.core.files.storage import storages
from django.db import connection
from django.utils.translation import gettext as _

ARCHIVE_PREFIX = "canto-backup-"
DUMP_NAME = "database.dump"
PRIVATE_DIR = "private"
MANIFEST_NAME = "manifest.json"
ENCRYPTED_SUFFIX = ".enc"


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why and what to do."""


def create_backup(*, output_dir: Path, key: str = "") -> Path:
    """Writes one archive into `output_dir` and returns its path. The archive is built in a
    private temporary folder and reaches `output_dir` only whole and, with a key, encrypted:
    whatever fails, nothing readable is left there."""
    cipher = fernet(key) if key else None
    require_postgresql()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    archive = output_dir / f"{ARCHIVE_PREFIX}{stamp}.tar.gz{ENCRYPTED_SUFFIX if cipher else ''}"
    try:
        with tempfile.TemporaryDirectory() as work_dir:
            tarball = build_archive(work=Path(work_dir), stamp=stamp)
            with tarball.open("rb") as plaintext:
                source = io.BytesIO(cipher.encrypt(plaintext.read())) if cipher else plaintext
                return write_privately(source=source, path=archive)
    except OSError as error:
        raise BackupError(
            _("The backup could not be written (%(error)s); no archive was left in %(folder)s.")
            % {"error": error.strerror or error, "folder": output_dir}
        ) from error


def build_archive(*, work: Path, stamp: str) -> Path:
    """The database's dump, the private files and their manifest, as one .tar.gz in `work`."""
    run_postgres_tool(
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        "--file",
        str(work / DUMP_NAME),
    )
    private = Path(storages["private"].path(""))
    if private.is_dir():
        shutil.copytree(private, work / PRIVATE_DIR)
    else:
        (work / PRIVATE_DIR).mkdir()
    manifest = {
        "created_at": stamp,
        "files": {name: sha256(work / name) for name in files_under(work)},
    }
    (work / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    tarball = work / "archive.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        for name in [MANIFEST_NAME, DUMP_NAME, PRIVATE_DIR]:
            tar.add(work / name, arcname=name)
    return tarball


def write_privately(*, source: BinaryIO, path: Path) -> Path:
    """Copies `source` to `path`, readable by its owner only (folder 0700, file 0600, whatever
    the umask). It is written under a hidden temporary name beside `path` and renamed once
    complete, so `path` never names half a file; a failed write removes what it wrote."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            shutil.copyfileobj(source, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return path


def restore_backup(*, archive: Path, key: str = "") -> dict:
    """Restores `archive` into the (empty) database and private storage, after checking
    every checksum. Returns the manifest."""
    require_postgresql()
    if connection.introspection.table_names():
        raise BackupError(
            _(
                "The database %(name)s is not empty: restore only into an empty database. "
                "Drop and create it again (dropdb, createdb), then restore."
            )
            % {"name": connection.settings_dict["NAME"]}
        )
    private = Path(storages["private"].path(""))
    if private.is_dir() and any(private.iterdir()):
        raise BackupError(
            _("The private files folder %(path)s is not empty: move it away, then restore.")
            % {"path": private}
        )
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        tarball = work / "archive.tar.gz"
        if archive.name.endswith(ENCRYPTED_SUFFIX):
            if not key:
                raise BackupError(_("This archive is encrypted: set BACKUP_KEY to its key."))
            try:
                tarball.write_bytes(fernet(key).decrypt(archive.read_bytes()))
            except InvalidToken as error:
                raise BackupError(_("BACKUP_KEY does not open this archive.")) from error
        else:
            shutil.copyfile(archive, tarball)
        content = work / "content"
        with tarfile.open(tarball, "r:gz") as tar:
            tar.extractall(content, filter="data")
        manifest = json.loads((content / MANIFEST_NAME).read_text())
        verify(content, manifest["files"])
        run_postgres_tool(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(content / DUMP_NAME),
            database_flag="-d",
        )
        private.mkdir(parents=True, exist_ok=True)
        shutil.copytree(content / PRIVATE_DIR, private, dirs_exist_ok=True)
    return manifest


def prune_backups(*, output_dir: Path, keep_days: int) -> list[Path]:
    """Deletes this command's archives in `output_dir` older than `keep_days`."""
    cutoff = datetime.now(UTC) - timedelta(days=keep_days)
    old = [
        path
        for path in output_dir.glob(f"{ARCHIVE_PREFIX}*")
        if datetime.fromtimestamp(path.stat().st_mtime, UTC) < cutoff
    ]
    for path in old:
        path.unlink()
    return old


def verify(folder: Path, checksums: dict[str, str]) -> None:
    present = set(files_under(folder)) - {MANIFEST_NAME}
    if present != set(checksums):
        raise BackupError(_("The archive's files do not match its manifest: it is damaged."))
    for name, expected in checksums.items():
        if sha256(folder / name) != expected:
            raise BackupError(
                _("%(name)s does not match its checksum: the archive is damaged.") % {"name": name}
            )


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except ValueError as error:
        raise BackupError(
            _("BACKUP_KEY is not a Fernet key (32 url-safe base64-encoded bytes).")
        ) from error


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(_("Backups need PostgreSQL (pg_dump and pg_restore)."))


def run_postgres_tool(tool: str, *args: str, database_flag: str = "--dbname") -> None:
    """Runs pg_dump or pg_restore against the portal's database; the password travels in
    the environment, never on a command line another user could read."""
    db = connection.settings_dict
    command = [tool]
    for flag, value in (("--host", db["HOST"]), ("--port", db["PORT"]), ("--username", db["USER"])):
        if value:
            command += [flag, str(value)]
    command += [*args, database_flag, db["NAME"]]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool}: {result.stderr.strip()[-500:]}")
