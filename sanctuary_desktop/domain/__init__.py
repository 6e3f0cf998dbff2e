"""Pure Python rules of the app: no Qt, no SQLAlchemy."""
