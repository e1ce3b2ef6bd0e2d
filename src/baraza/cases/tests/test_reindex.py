import json
from io import StringIO

from django.core.management import call_command

from baraza.cases import similarity
from baraza.cases.models import ReportVector
from baraza.cases.tests.claims import INK, SMS_EN, SMS_FR


def nearest_ids(text):
    index = similarity.report_index()
    return [n.report_id for n in index.nearest(text, index.embed_many([text])[0])]


def test_reindex_re_embeds_what_another_model_made_and_rebuilds_the_file(people, make_report):
    reports = [make_report(None, text=SMS_EN), make_report(None, text=INK)]
    ReportVector.objects.update(model_id="an-older-model")
    similarity.report_index.cache_clear()
    out = StringIO()
    call_command("reindex", stdout=out, stderr=StringIO())
    summary = json.loads(out.getvalue())
    assert summary["reports_embedded"] == 2
    assert summary["report_index_size"] == 2
    model_id = similarity.report_index().encoder.model_id
    assert set(ReportVector.objects.values_list("model_id", flat=True)) == {model_id}
    assert similarity.index_path().exists()
    assert nearest_ids(SMS_FR)[0] == reports[0].pk


def test_a_restarted_worker_loads_its_file_and_catches_up(people, make_report):
    first = make_report(None, text=SMS_EN)
    similarity.report_index().save()
    similarity.report_index.cache_clear()
    second = make_report(None, text=INK)  # stored after the file was written
    similarity.report_index.cache_clear()  # a restart
    assert nearest_ids(SMS_FR)[0] == first.pk
    assert nearest_ids(INK)[0] == second.pk


def test_a_corrupt_index_file_is_rebuilt_from_the_database(people, make_report):
    first = make_report(None, text=SMS_EN)
    similarity.report_index().save()
    similarity.index_path().write_bytes(b"\x00not an index at all")
    similarity.report_index.cache_clear()
    assert nearest_ids(SMS_FR)[0] == first.pk


def test_a_report_deleted_since_the_file_was_saved_is_dropped(people, make_report):
    first = make_report(None, text=SMS_EN)
    similarity.report_index().save()
    first.delete()
    similarity.report_index.cache_clear()
    assert len(similarity.report_index()) == 0


def test_the_worker_saves_its_replica_and_re_embeds_after_a_model_change(people, make_report):
    from baraza.cases.tasks import reembed_after_a_model_change, save_report_index

    report = make_report(None, text=SMS_EN)
    save_report_index.call_local()
    assert similarity.index_path().exists()
    ReportVector.objects.update(model_id="an-older-model")
    similarity.report_index.cache_clear()
    reembed_after_a_model_change()  # queued at worker start; tests run tasks immediately
    assert ReportVector.objects.get(report=report).model_id == (
        similarity.report_index().encoder.model_id
    )
