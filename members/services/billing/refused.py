"""The one refusal every part of the dues cycle raises."""


class BillingRefused(Exception):
    """The change is refused; the message says why, for the person who tried."""
