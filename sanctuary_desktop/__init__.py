"""Sanctuary Desktop: plan cohorts, run live calls, print what was learned."""

__version__ = "0.1.0"
APP_NAME = "Sanctuary Desktop"
APP_ID = "org.systemsanctuary.SanctuaryDesktop"

# The data folder's rules, which every layer may need: what the app makes is its owner's
# alone, and the running app holds this lock file in it (ui/single_instance.py).
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
LOCK_FILE = "sanctuary.lock"
