"""Fictional demo data for the agreements app, built on the production data (the 2015 ISOC
agreement, its council) and on the demo member register."""

from django.db import transaction


@transaction.atomic
def seed(today):
    seed_agreements(today)
    seed_councils(today)
    seed_briefings(today)
