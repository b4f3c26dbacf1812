"""PostgreSQL: keep the head of the open-slot queue clean.

Every claim deletes a queue row. Until vacuum runs, the dead tuple and its index entries stay at
the head of the queue, where every later claim walks over them. These per-table settings start
autovacuum on the queue after a few thousand claims instead of after 20% of the table, without
cost-based throttling; the table is narrow, so each run is short.
"""

from django.db import migrations

TUNED = (
    "autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000, "
    "autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 20000, "
    "autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0"
)
DEFAULTS = (
    "autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, "
    "autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold, "
    "autovacuum_analyze_scale_factor, autovacuum_vacuum_cost_delay"
)


def tune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE reviews_openslot SET ({TUNED})")


def untune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE reviews_openslot RESET ({DEFAULTS})")


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(tune, untune)]
