"""Meaning-level clustering: reports of one claim, in any language, land in one case."""

from datetime import timedelta

import pytest
from django.utils import timezone

from baraza.cases.models import Case, CaseReport, CaseSuggestion, ReportVector
from baraza.cases.similarity import report_index
from baraza.cases.tests.claims import INK, RESIGNED_AR, RESIGNED_EN, SMS_EN, SMS_FR, SMS_PT


def case_of(report):
    return CaseReport.objects.get(report=report).case


def pending():
    return CaseSuggestion.objects.filter(status=CaseSuggestion.Status.PENDING)


def test_reports_of_one_claim_in_different_languages_land_in_one_case(
    people, make_report, settings
):
    english = make_report(None, text=SMS_EN)
    french = make_report(None, text=SMS_FR)
    assert case_of(french) == case_of(english)
    link = CaseReport.objects.get(report=french)
    assert link.reason == CaseReport.Reason.SIMILAR
    assert link.similarity >= settings.CLUSTER_AUTO_LINK


def test_different_claims_open_different_cases(people, make_report):
    sms = make_report(None, text=SMS_EN)
    ink = make_report(None, text=INK)
    assert case_of(sms) != case_of(ink)
    assert not pending().exists()


def test_a_claim_between_the_thresholds_is_only_suggested(people, make_report, settings):
    settings.CLUSTER_AUTO_LINK = 0.99
    english = make_report(None, text=SMS_EN)
    french = make_report(None, text=SMS_FR)
    assert case_of(french) != case_of(english)
    suggestion = pending().get()
    assert (suggestion.case, suggestion.candidate) == (case_of(french), case_of(english))
    assert settings.CLUSTER_SUGGEST <= suggestion.similarity < 0.99


def test_a_short_text_is_suggested_however_close_it_is(people, make_report):
    english = make_report(None, text=RESIGNED_EN)
    arabic = make_report(None, text=RESIGNED_AR)
    assert case_of(arabic) != case_of(english)
    assert pending().get().candidate == case_of(english)


def test_the_short_text_rule_is_a_setting(people, make_report, settings):
    settings.CLUSTER_SHORT_TEXT_WORDS = 3
    english = make_report(None, text=RESIGNED_EN)
    arabic = make_report(None, text=RESIGNED_AR)
    assert case_of(arabic) == case_of(english)


def test_amber_reports_of_two_organisations_never_meet(people, make_report):
    """Clustering by meaning respects audiences as strictly as clustering by content."""
    alices = make_report(people.alice, text=SMS_EN, tlp="amber")
    bobs = make_report(people.bob, text=SMS_FR, tlp="amber")
    assert case_of(alices) != case_of(bobs)
    assert not pending().exists()


def test_red_reports_join_nothing_and_attract_nothing(people, make_report):
    red = make_report(people.alice, text=SMS_EN, tlp="red")
    same_org = make_report(people.alice, text=SMS_FR, tlp="amber")
    another_red = make_report(people.alice, text=SMS_PT, tlp="red")
    assert len({case_of(red), case_of(same_org), case_of(another_red)}) == 3
    assert not pending().exists()


def test_cases_quiet_for_longer_than_the_window_attract_no_one(people, make_report, settings):
    settings.CLUSTER_WINDOW_DAYS = 30
    old = make_report(None, text=SMS_EN)
    Case.objects.filter(pk=case_of(old).pk).update(updated_at=timezone.now() - timedelta(days=31))
    new = make_report(None, text=SMS_FR)
    assert case_of(new) != case_of(old)


def test_a_window_of_zero_days_means_no_limit(people, make_report, settings):
    settings.CLUSTER_WINDOW_DAYS = 0
    old = make_report(None, text=SMS_EN)
    Case.objects.filter(pk=case_of(old).pk).update(updated_at=timezone.now() - timedelta(days=3650))
    assert case_of(make_report(None, text=SMS_FR)) == case_of(old)


@pytest.mark.parametrize("text", ["🗳️🔥🔥", "   ", "@someone #vote https://x.com/a/status/1"])
def test_a_report_without_words_opens_its_own_case_and_is_not_embedded(people, make_report, text):
    first = make_report(None, text="", url="https://example.org/a")
    report = make_report(None, text=text, url="https://example.org/b")
    assert case_of(report) != case_of(first)
    assert not ReportVector.objects.filter(report=report).exists()


def test_a_report_at_the_length_limit_is_embedded_and_placed(people, make_report):
    report = make_report(None, text=((SMS_EN + " ") * 400)[:20_000])
    assert len(report.text) >= 19_990
    assert ReportVector.objects.filter(report=report).exists()
    assert case_of(report) is not None


def test_a_rejected_link_is_never_suggested_again(people, make_report, settings, placed):
    from baraza.cases.actions import do_resolve_suggestion

    default = settings.CLUSTER_AUTO_LINK
    settings.CLUSTER_AUTO_LINK = 0.99
    english = make_report(None, text=SMS_EN)
    french = make_report(None, text=SMS_FR)
    do_resolve_suggestion(pending().get(), confirm=False, member=people.secretariat.member)
    # Now a third version joins one of the two and is near the other: the pair would be
    # offered again, but a reviewer already said these are different claims.
    settings.CLUSTER_AUTO_LINK = default
    portuguese = make_report(None, text=SMS_PT)
    assert case_of(portuguese) in (case_of(english), case_of(french))
    assert not pending().exists()
    assert CaseSuggestion.objects.filter(status=CaseSuggestion.Status.REJECTED).count() == 1


def test_vectors_stored_by_another_worker_are_found(people, make_report):
    """Every process's replica catches up from the database before it searches."""
    english = make_report(None, text=SMS_EN)
    index = report_index()
    vector = index.embed_many([SMS_EN])[0]
    index._vectors.remove([english.pk])  # as if another worker had stored it after we loaded
    assert english.pk in [n.report_id for n in index.nearest(SMS_EN, vector)]


def test_a_vector_of_another_model_is_not_compared(people, make_report):
    english = make_report(None, text=SMS_EN)
    ReportVector.objects.filter(report=english).update(model_id="some-other-model")
    report_index.cache_clear()
    french = make_report(None, text=SMS_FR)
    assert case_of(french) != case_of(english)


PAGE = " ".join(
    "Weather tomorrow: cloudy with light showers, highs of twenty-four degrees. "
    "Football: Riverside United 2 Harbour City 1. A new phone with a triple camera."
    for _ in range(12)
)


def test_a_long_report_joins_the_case_of_the_claim_buried_in_its_screenshot_text(
    people, make_report
):
    """OCR of a screenshot brings a page of other text; the claim's window still finds its
    case, where the whole text's vector alone is too diluted to."""
    english = make_report(None, text=SMS_EN)
    page_around = make_report(None, text=f"{PAGE} {SMS_FR} {PAGE}")
    assert case_of(page_around) == case_of(english)
    vectors = report_index().embed_many([page_around.text])[0]
    english_vector = report_index().embed_many([SMS_EN])[0][0]
    assert len(vectors) > 2  # the whole text, then its windows
    assert float(vectors[0] @ english_vector) < float((vectors @ english_vector).max()) - 0.02


def test_wording_shared_with_a_report_only_ever_adds_to_its_similarity(people, make_report):
    english = make_report(None, text=SMS_EN)
    make_report(None, text=INK)
    forwarded = "Forwarded many times: you can vote by SMS by sending your ID number to 40404!"
    vectors = report_index().embed_many([forwarded])[0]
    neighbours = {n.report_id: n for n in report_index().nearest(forwarded, vectors)}
    assert all(n.similarity >= n.cosine for n in neighbours.values())
    assert neighbours[english.pk].similarity > neighbours[english.pk].cosine
    assert next(iter(neighbours)) == english.pk
