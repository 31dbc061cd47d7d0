"""The database cache's table (settings.CACHES), made by ``migrate`` itself, so that a plain
``manage.py migrate`` (not only ``make migrate``) leaves a site that runs. Idempotent: an
existing table is kept."""

from django.core.management import call_command
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_cache_table(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_search_engines")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
