"""The operator console's loop list: indexes for its default order and its filters; and the slot
history's new event, `reopened`, written when an operator re-opens a Failed loop."""

from django.db import migrations, models

EVENT_KINDS = ["claimed", "released", "declined", "expired", "submitted", "withdrawn", "reopened"]


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_render_failures")]

    operations = [
        migrations.AddIndex(
            model_name="humanloop",
            index=models.Index(fields=["created_at", "id"], name="loops_by_creation"),
        ),
        migrations.AddIndex(
            model_name="humanloop",
            index=models.Index(
                fields=["flow_definition", "status", "created_at", "id"],
                name="loops_by_flow_status",
            ),
        ),
        migrations.AlterField(
            model_name="slotevent",
            name="kind",
            field=models.CharField(
                choices=[(kind, kind.capitalize()) for kind in EVENT_KINDS], max_length=10
            ),
        ),
        migrations.RemoveConstraint(model_name="slotevent", name="slotevent_kind_valid"),
        migrations.AddConstraint(
            model_name="slotevent",
            constraint=models.CheckConstraint(
                condition=models.Q(kind__in=EVENT_KINDS), name="slotevent_kind_valid"
            ),
        ),
    ]
