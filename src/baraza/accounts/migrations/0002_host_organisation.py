"""The host organisation owns public submissions from the first one on (BARAZA_HOST_ORGANISATION)."""

from django.conf import settings
from django.db import migrations


def create_host_organisation(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Organisation.objects.get_or_create(
        slug=settings.HOST_ORGANISATION,
        defaults={"name": "Coalition secretariat", "kind": "secretariat"},
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_host_organisation, migrations.RunPython.noop)]
