"""Fictional demo data for the agreements app, built on the production data (the 2015 ISOC
agreement, its council) and on the demo member register."""

import datetime

from django.db import transaction

from agreements.demo.board import seed_board_business
from agreements.demo.briefings import seed_briefings
from agreements.demo.register import seed_agreements
from agreements.demo.seats import seed_councils


@transaction.atomic
def seed(today: datetime.date) -> None:
    seed_agreements(today)
    seed_councils(today)
    seed_briefings(today)
    seed_board_business(today)
