"""Full-text search of notes: an FTS5 index over their words and themes.

The index holds no copy of the text (content='notes'); triggers keep it in step with
every insert, change and delete, cascades from deleted calls and cohorts included.
SQLite only: elsewhere search falls back to ILIKE and this migration does nothing.

A later migration that rebuilds `notes` in batch mode (copy, drop, rename) drops these
triggers with the old table, and must create them again.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# remove_diacritics 2 folds every diacritic, so "whanau" finds "whānau" and "Cote" "Côté".
# Search matches the last word typed as a prefix; short prefixes ("co", "com") would
# otherwise merge the lists of hundreds of words on every keystroke, so those two
# lengths get their own index (about twice the size, still small beside the notes).
CREATE_INDEX = """
CREATE VIRTUAL TABLE notes_fts USING fts5(
    text, tags,
    content='notes', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2',
    prefix='2 3'
)
"""

# An external-content index forgets a row by being told the words it indexed.
TRIGGERS = (
    """
    CREATE TRIGGER notes_fts_after_insert AFTER INSERT ON notes BEGIN
        INSERT INTO notes_fts(rowid, text, tags) VALUES (new.id, new.text, new.tags);
    END
    """,
    """
    CREATE TRIGGER notes_fts_after_delete AFTER DELETE ON notes BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, text, tags)
        VALUES ('delete', old.id, old.text, old.tags);
    END
    """,
    """
    CREATE TRIGGER notes_fts_after_update AFTER UPDATE OF id, text, tags ON notes BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, text, tags)
        VALUES ('delete', old.id, old.text, old.tags);
        INSERT INTO notes_fts(rowid, text, tags) VALUES (new.id, new.text, new.tags);
    END
    """,
)
TRIGGER_NAMES = ("notes_fts_after_insert", "notes_fts_after_delete", "notes_fts_after_update")


def _on_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if not _on_sqlite():
        return
    op.execute(CREATE_INDEX)
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO notes_fts(notes_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if not _on_sqlite():
        return
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS notes_fts")
