"""One function per user action. Each takes the Database first, validates with domain,
writes in one unit of work and returns frozen dataclasses (mutations wrap theirs in an
Outcome that names what changed)."""
