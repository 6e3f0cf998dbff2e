"""Sanctuary Desktop: plan cohorts, run live calls, print what was learned."""

__version__ = "0.1.0"
APP_NAME = "Sanctuary Desktop"
APP_ID = "org.systemsanctuary.SanctuaryDesktop"
