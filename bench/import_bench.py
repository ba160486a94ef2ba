"""How long the Secretariat waits for a big import, on PostgreSQL: 1,230 members and 6,000
contacts (ten times the association) through the resources the admin uses, then 10,000 members
through the admin's own preview and confirm views, first new, then each with a change.

    .venv/bin/python bench/import_bench.py

The first two files are timed as the resources run them: read the CSV, the preview (a dry run,
rolled back), then the confirmed import (committed). The large file is timed as a gunicorn
worker spends it (middleware aside): the upload request, preview page rendered, then the
confirm request; each must stay well inside gunicorn's default 30 s timeout. The rows it adds
are removed at the end, so the database is left as it was; it is created and migrated when
missing. DATABASE_URL overrides the default database,
postgres://postgres@127.0.0.1:5432/canto_bench. Not a test: nothing fails on time."""

import io
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canto_portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/canto_bench")

import psycopg  # noqa: E402

MEMBERS = 1_230
CONTACTS = 6_000
LARGE_MEMBERS = 10_000
# What gunicorn allows a sync worker for one request when started as docs/deployment.md says.
WORKER_TIMEOUT = 30
PREFIX = "import-bench"
COUNTRIES = ["TT", "JM", "BB", "BS", "GY", "BZ", "LC", "VC", "GD", "AG", "KN", "DM", "SR", "HT"]
CATEGORIES = ["Full", "Associate", "Affiliate"]
ROLES = ["billing", "technical", "regulatory", "other"]


def ensure_database(url):
    """Creates the database when it does not exist yet; never drops one."""
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def members_csv(rng, rows=MEMBERS, kind="member"):
    out = io.StringIO()
    out.write("slug,name,category,country,city,joined_on,founding_member,status,public_phone\n")
    for n in range(rows):
        joined_on = f"{rng.randint(1986, 2025)}-0{rng.randint(1, 9)}-01"
        out.write(
            f"{PREFIX}-{kind}-{n},Import Bench {kind} {n},{rng.choice(CATEGORIES)},"
            f"{rng.choice(COUNTRIES)},Port of Spain,{joined_on},no,active,+1 868 555 {n:04d}\n"
        )
    return out.getvalue().encode()


def contacts_csv(rng):
    out = io.StringIO()
    out.write("email,member,name,phone,job_title,role,is_member_admin\n")
    for n in range(CONTACTS):
        member = n % MEMBERS
        admin = "yes" if n < MEMBERS else "no"
        out.write(
            f"person{n}@{PREFIX}.example,{PREFIX}-member-{member},Bench Person {n},"
            f"+1 868 555 {n:04d},Engineer,{rng.choice(ROLES)},{admin}\n"
        )
    return out.getvalue().encode()


def csv_format():
    """The admin's own CSV format, whichever module provides it."""
    from django.contrib import admin

    from members.models import Member

    return admin.site._registry[Member].get_import_formats()[0]()


def timed_import(resource_class, content):
    """Seconds to read, preview and confirm one file, as the admin does it."""
    started = time.perf_counter()
    dataset = csv_format().create_dataset(content)
    read = time.perf_counter()
    preview = resource_class().import_data(dataset, dry_run=True)
    previewed = time.perf_counter()
    result = resource_class().import_data(dataset, dry_run=False)
    confirmed = time.perf_counter()
    for outcome in (preview, result):
        if outcome.has_errors() or outcome.has_validation_errors():
            raise SystemExit(f"{resource_class.__name__}: the benchmark file did not import")
    return {
        "rows": len(dataset),
        "read": read - started,
        "preview": previewed - read,
        "import": confirmed - previewed,
        "new": result.totals["new"],
    }


def admin_request(path, user, data):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    request = RequestFactory().post(path, data)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def timed_admin_import(content):
    """Seconds for the upload request (preview page rendered) and the confirm request of a
    members file, through the admin's views."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from members.models import Member

    member_admin = admin.site._registry[Member]
    user = get_user_model().objects.filter(username=f"{PREFIX}-admin").first()
    user = user or get_user_model().objects.create_superuser(
        f"{PREFIX}-admin", f"admin@{PREFIX}.example"
    )
    upload = {"format": "0", "import_file": SimpleUploadedFile("members.csv", content)}
    started = time.perf_counter()
    preview = member_admin.import_action(admin_request("/import/", user, upload)).render()
    previewed = time.perf_counter()
    if "confirm_form" not in preview.context_data:
        raise SystemExit("The large members file did not preview without errors")
    form = preview.context_data["confirm_form"]
    confirm_data = {name: form.initial.get(name, "") for name in form.fields}
    confirmed = member_admin.process_import(admin_request("/process/", user, confirm_data))
    done = time.perf_counter()
    if confirmed.status_code != 302 or not Member.objects.filter(slug__contains="-large-").exists():
        raise SystemExit("The large members file did not import")
    return {
        "rows": LARGE_MEMBERS,
        "preview": previewed - started,
        "import": done - previewed,
        "page": len(preview.content),
    }


def remove_bench_rows():
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model

    from members.models import Contact, Member

    Contact.objects.filter(email__endswith=f"@{PREFIX}.example").delete()
    Member.objects.filter(slug__startswith=f"{PREFIX}-").delete()
    Member.history.filter(slug__startswith=f"{PREFIX}-").delete()
    LogEntry.objects.filter(user__username=f"{PREFIX}-admin").delete()
    get_user_model().objects.filter(username=f"{PREFIX}-admin").delete()


def main():
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from members.resources import ContactResource, MemberResource

    if connection.vendor != "postgresql":
        raise SystemExit("This benchmark measures PostgreSQL; point DATABASE_URL at one.")
    call_command("migrate", verbosity=0)
    remove_bench_rows()
    rng = random.Random(1985)
    files = [(MemberResource, members_csv(rng)), (ContactResource, contacts_csv(rng))]
    print(f"Importing on {connection.settings_dict['NAME']} (PostgreSQL)")
    total = 0.0
    try:
        for resource_class, content in files:
            figures = timed_import(resource_class, content)
            seconds = figures["read"] + figures["preview"] + figures["import"]
            total += seconds
            print(
                f"{resource_class._meta.model._meta.verbose_name_plural:>8}: "
                f"{figures['rows']:>5} rows ({figures['new']} new) in {seconds:6.1f} s = "
                f"read {figures['read']:.1f} s + preview {figures['preview']:.1f} s + "
                f"import {figures['import']:.1f} s; {1000 * seconds / figures['rows']:.1f} ms a row"
            )
        print(f"   total: {MEMBERS} members and {CONTACTS} contacts in {total:.1f} s")
        large = members_csv(rng, LARGE_MEMBERS, kind="large")
        # The same file again with a change on every row: each member is updated.
        for label, content in (("new", large), ("changed", large.replace(b"Port of", b"Pt."))):
            figures = timed_admin_import(content)
            slowest = max(figures["preview"], figures["import"])
            print(
                f"{LARGE_MEMBERS:,} {label} members through the admin: upload and preview page "
                f"{figures['preview']:.1f} s ({figures['page'] / 1e6:.1f} MB of HTML), confirm "
                f"{figures['import']:.1f} s; the slower request takes "
                f"{100 * slowest / WORKER_TIMEOUT:.0f}% of gunicorn's {WORKER_TIMEOUT} s timeout"
            )
    finally:
        remove_bench_rows()


if __name__ == "__main__":
    main()
