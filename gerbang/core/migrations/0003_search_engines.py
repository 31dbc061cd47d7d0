"""The engine-specific part of the search index: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = (
    "CREATE VIRTUAL TABLE core_search_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_BACKWARD = "DROP TABLE IF EXISTS core_search_fts"
POSTGRES_FORWARD = [
    "ALTER TABLE core_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_folded), 'A') || "
    "setweight(to_tsvector('simple', body_folded), 'B')) STORED",
    "CREATE INDEX core_searchentry_document_gin ON core_searchentry USING GIN (document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS core_searchentry_document_gin",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS document",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)
    elif vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"Search needs SQLite or PostgreSQL, not {vendor}.")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)
    elif vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_search_entry")]
    operations = [migrations.RunPython(forward, backward)]
