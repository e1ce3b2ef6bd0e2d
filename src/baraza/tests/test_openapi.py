import pytest

REQUIRED = {
    "submit_report",
    "get_report_status",
    "list_reports",
    "get_report",
    "import_reports",
    "list_cases",
    "get_case",
    "change_case_status",
    "share_case",
    "reveal_report_contact",
    "import_factchecks",
    "search_factchecks",
    "merge_cases",
    "split_case",
    "resolve_case_suggestion",
    "list_taxonomy",
    "assign_case",
    "submit_assessment",
    "list_assessments",
    "get_consensus",
    "decide_case",
    "get_decision",
    "file_appeal",
    "decide_appeal",
    "recompute_bridging",
    "refer_case",
    "list_referrals",
    "record_response",
    "get_transparency_report",
    "create_research_key",
    "research_reports",
    "research_cases",
}


@pytest.mark.django_db
def test_the_openapi_document_names_every_operation_the_issues_require(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    operations = {
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
    }
    assert operations >= REQUIRED


@pytest.mark.django_db
def test_member_operations_declare_bearer_auth_and_public_ones_do_not(client):
    document = client.get("/api/openapi.json").json()
    by_id = {op["operationId"]: op for path in document["paths"].values() for op in path.values()}
    assert by_id["list_cases"].get("security")
    assert not by_id["submit_report"].get("security")
    assert not by_id["get_report_status"].get("security")
    assert not by_id["get_transparency_report"].get("security")
    assert by_id["research_reports"].get("security")
    assert by_id["create_research_key"].get("security")


@pytest.mark.django_db
def test_an_unknown_api_url_answers_json(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "no such operation or object"}


@pytest.mark.django_db
def test_an_unknown_page_answers_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
