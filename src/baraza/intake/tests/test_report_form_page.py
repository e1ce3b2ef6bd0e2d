import pytest
from django.test import override_settings

from baraza.conftest import PASSWORD, REPORT
from baraza.intake.models import Report


@pytest.mark.django_db
def test_the_form_is_small_and_needs_no_javascript(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < 50 * 1024
    assert "<script" not in html
    assert 'name="csrfmiddlewaretoken"' in html
    for field in ("text", "url", "platform", "country", "language", "category", "contact"):
        assert f'name="{field}"' in html
        assert f'<label for="{field}"' in html


@pytest.mark.django_db
def test_submitting_the_form_shows_a_tracking_code(client):
    response = client.post("/", REPORT, follow=True)
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.channel == "web"
    assert report.display_code in response.content.decode()


@pytest.mark.django_db
def test_mistakes_are_shown_next_to_the_fields_and_nothing_is_stored(client):
    response = client.post("/", {**REPORT, "country": "ZZ", "text": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "not an ISO 3166-1 alpha-2 country code" in html
    assert 'id="country-error"' in html
    assert 'whatsapp" selected' in html  # what was typed is kept
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_report_without_text_or_url_says_so(client):
    response = client.post("/", {**REPORT, "text": ""})
    assert response.status_code == 422
    assert "needs a text or a url" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_form_speaks_french(client):
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert 'lang="fr"' in response.content.decode()
    assert "Signaler" in response.content.decode()


@pytest.mark.django_db
@override_settings(PUBLIC_SUBMIT_RATE="1/h")
def test_the_form_is_rate_limited_too(client):
    client.post("/", REPORT)
    response = client.post("/", REPORT)
    assert response.status_code == 429
    assert Report.objects.count() == 1


def test_a_logged_in_member_files_for_their_organisation(people, client):
    client.login(username="amina@ukweli.example", password=PASSWORD)
    client.post("/", REPORT)
    assert Report.objects.get().organisation == people.amina.organisation


@pytest.mark.django_db
def test_the_confirmation_page_refuses_a_malformed_code(client):
    assert client.get("/submitted/nonsense/").status_code == 302


@pytest.mark.django_db
def test_countries_are_chosen_by_name_in_the_readers_language(client):
    english = client.get("/").content.decode()
    french = client.get("/", headers={"Accept-Language": "fr"}).content.decode()
    assert '<option value="CI">Côte d&#x27;Ivoire</option>' in english or 'value="CI"' in english
    assert '<option value="DE">Germany</option>' in english
    assert '<option value="DE">Allemagne</option>' in french


@pytest.mark.django_db
def test_a_missing_choice_is_explained_in_plain_words_in_french(client):
    body = {k: v for k, v in REPORT.items() if k != "platform"}
    response = client.post("/", body, headers={"Accept-Language": "fr"})
    assert response.status_code == 422
    assert 'id="platform-error"' in response.content.decode()
    assert "Field required" not in response.content.decode()
    assert not Report.objects.exists()
