"""The members app's back office, one module per sub-domain; importing them registers them."""

from members.admin import billing, register

__all__ = ["billing", "register"]
