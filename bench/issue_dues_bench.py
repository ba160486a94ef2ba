"""Times issuing the year's dues for 1,230 members (ten times CANTO's register) on
PostgreSQL. Not a timed test: it prints the figure for docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canto_bench_dues \
        .venv/bin/python bench/issue_dues_bench.py [--members 1230]

The database must be a throw-away one, migrated (`manage.py migrate`). Everything the run
writes is rolled back at the end, so it can be run again. PDFs are not rendered: invoices are
rendered when first downloaded or mailed."""

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canto_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from members.models import DuesRate, Member, MembershipCategory  # noqa: E402
from members.services.billing import issue_dues  # noqa: E402

YEAR = 2099


class RolledBack(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1230)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a throw-away PostgreSQL database.")
    try:
        with transaction.atomic():
            category, _ = MembershipCategory.objects.get_or_create(name="Benchmark")
            DuesRate.objects.create(category=category, year=YEAR, amount=Decimal("5000.00"))
            Member.objects.bulk_create(
                Member(
                    name=f"Benchmark Operator {n:05d}",
                    slug=f"benchmark-operator-{n:05d}",
                    category=category,
                    country="TT",
                    joined_on="2001-01-01",
                )
                for n in range(options.members)
            )
            started = time.perf_counter()
            issued = issue_dues(year=YEAR, by=None)
            elapsed = time.perf_counter() - started
            print(f"Issued {len(issued)} invoices in {elapsed:.2f} s on PostgreSQL.")
            raise RolledBack
    except RolledBack:
        pass


if __name__ == "__main__":
    main()
