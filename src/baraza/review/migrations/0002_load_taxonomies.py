"""Load the taxonomies the coalition starts with: harm categories (as in intake), verdicts,
severities with their definitions, DISARM tactics and techniques (the shipped compact fixture),
and the DSA statement-of-reasons categories. Admins edit them afterwards."""

from django.db import migrations

from baraza.review import taxonomy


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    term = apps.get_model("review", "Term")
    from baraza.intake.models import Category

    taxonomy.upsert(
        term, "category", [(c.value, str(c.label), "", "") for c in Category], "Baraza"
    )
    taxonomy.upsert(
        term, "verdict", [(code, label, text, "") for code, label, text in taxonomy.VERDICTS], "Baraza"
    )
    taxonomy.upsert(
        term,
        "severity",
        [(code, label, text, "") for code, label, text in taxonomy.SEVERITIES],
        "Baraza",
    )
    taxonomy.upsert(
        term,
        "dsa_category",
        [(code, label, "", "") for code, label in taxonomy.DSA_CATEGORIES],
        taxonomy.DSA_SOURCE,
    )
    taxonomy.load_disarm(term, *taxonomy.shipped_disarm())


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    terms = apps.get_model("review", "Term").objects.all()
    terms.update(parent=None)  # parents are protected while they have children
    terms.delete()


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial"), ("intake", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
