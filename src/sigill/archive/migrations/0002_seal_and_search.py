"""Seal the captured tables (append-only triggers) and build the full-text index on each database.

SQLite: an external-content FTS5 table ``archive_fts`` over ``archive_searchentry.document`` whose
rowid is ``sort_key``, kept in step by triggers. PostgreSQL: a generated ``tsvector`` column with
the 'simple' configuration (the document already holds words and lemmas) and a GIN index on it.
"""

from django.db import migrations

from sigill.core import append_only

SEALED_TABLES = ["archive_archiveevent", "archive_item", "archive_itemversion", "archive_attachment", "archive_itemfact"]

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE archive_fts USING fts5(document, content='archive_searchentry', "
    "content_rowid='sort_key', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER archive_fts_insert AFTER INSERT ON archive_searchentry BEGIN "
    "INSERT INTO archive_fts(rowid, document) VALUES (new.sort_key, new.document); END",
    "CREATE TRIGGER archive_fts_delete AFTER DELETE ON archive_searchentry BEGIN "
    "INSERT INTO archive_fts(archive_fts, rowid, document) VALUES ('delete', old.sort_key, old.document); END",
    "CREATE TRIGGER archive_fts_update AFTER UPDATE OF document, sort_key ON archive_searchentry BEGIN "
    "INSERT INTO archive_fts(archive_fts, rowid, document) VALUES ('delete', old.sort_key, old.document); "
    "INSERT INTO archive_fts(rowid, document) VALUES (new.sort_key, new.document); END",
]
SQLITE_FTS_DROP = [
    "DROP TRIGGER IF EXISTS archive_fts_insert",
    "DROP TRIGGER IF EXISTS archive_fts_delete",
    "DROP TRIGGER IF EXISTS archive_fts_update",
    "DROP TABLE IF EXISTS archive_fts",
]
POSTGRES_FTS = [
    "ALTER TABLE archive_searchentry ADD COLUMN document_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, document)) STORED",
    "CREATE INDEX archive_search_document_gin ON archive_searchentry USING gin (document_tsv)",
]
POSTGRES_FTS_DROP = [
    "DROP INDEX IF EXISTS archive_search_document_gin",
    "ALTER TABLE archive_searchentry DROP COLUMN IF EXISTS document_tsv",
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    for table in SEALED_TABLES:
        append_only.protect(connection, table)
    for statement in SQLITE_FTS if connection.vendor == "sqlite" else POSTGRES_FTS:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    for statement in SQLITE_FTS_DROP if connection.vendor == "sqlite" else POSTGRES_FTS_DROP:
        schema_editor.execute(statement)
    for table in SEALED_TABLES:
        append_only.unprotect(connection, table)


class Migration(migrations.Migration):
    # append_only.protect() writes triggers that consult core's deletion permits: that table must
    # exist before any later migration rebuilds a table on SQLite (moderation's do).
    dependencies = [("archive", "0001_initial"), ("core", "0003_deletion_permit")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
