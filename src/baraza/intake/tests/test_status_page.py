import pytest


def test_the_page_shows_the_status_for_a_code(people, client, make_report):
    report = make_report(None, contact="secret-contact@example.org")
    response = client.get(f"/status/?code={report.display_code}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Waiting for triage" in html
    assert report.text not in html
    assert "secret-contact" not in html
    assert len(response.content) < 50 * 1024


@pytest.mark.django_db
def test_an_unknown_code_is_a_404_with_a_message(client):
    response = client.get("/status/?code=AAAA-BBBB-CCCC")
    assert response.status_code == 404
    assert "No report has this tracking code" in response.content.decode()


@pytest.mark.django_db
def test_a_malformed_code_is_explained(client):
    response = client.get("/status/?code=12")
    assert response.status_code == 422
    assert "12 letters and digits" in response.content.decode()


@pytest.mark.django_db
def test_without_a_code_the_page_shows_the_form(client):
    response = client.get("/status/")
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
