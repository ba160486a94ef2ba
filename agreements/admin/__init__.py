"""The agreements app's back office, one module per sub-domain; importing them registers them."""

from agreements.admin import alerts, board, briefings, dashboard, exchanges, register, seats

__all__ = ["alerts", "board", "briefings", "dashboard", "exchanges", "register", "seats"]
