"""The members app's back office, one module per sub-domain; importing them registers them."""

from members.admin import register

__all__ = ["register"]
