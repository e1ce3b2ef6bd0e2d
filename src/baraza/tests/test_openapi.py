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
    "search_media",
    "get_media_original",
    "get_media_derivative",
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


# --- The document names its values, describes its fields and lists its errors (issue 11) ---

# Fields with these names hold one of a fixed set of values, wherever they appear: each must
# carry its enum in the document (directly, through a $ref or inside anyOf), so a client can
# read the values instead of guessing. A new bare-string field with one of these names fails.
ENUMERATED = {
    "status",
    "tlp",
    "category",
    "platform",
    "channel",
    "kind",
    "outcome",
    "scheme",
    "requested_action",
    "decision_visibility",
    "decision_account",
    "role",
    "reason",
    "actions",
}
# The same names used for free text, deliberately.
FREE_TEXT = {("ResponseIn", "reason"), ("ResponseOut", "reason")}

# Taxonomy codes are data (terms the admins edit), not enums: their description must say where
# the allowed codes are read.
TAXONOMY_CODES = {"verdict", "severity", "categories", "techniques", "dsa_category"}

# The error statuses each operation answers, checked against the code that raises them.
ERRORS = {
    "health": set(),
    "submit_report": {401, 413, 422, 429},
    "get_report_status": {404, 422, 429},
    "list_reports": {401, 422},
    "import_reports": {401, 403, 413, 422},
    "get_report": {401, 404, 422},
    "reveal_report_contact": {401, 403, 404, 422},
    "list_cases": {401, 422},
    "get_case": {401, 404},
    "change_case_status": {401, 403, 404, 409, 422},
    "share_case": {401, 403, 404, 422},
    "merge_cases": {401, 403, 404, 409, 422},
    "split_case": {401, 403, 404, 409, 422},
    "resolve_case_suggestion": {401, 403, 404, 409, 422},
    "search_factchecks": {401, 422},
    "search_media": {401, 413, 422, 429},
    "get_media_derivative": {401, 404},
    "get_media_thumbnail": {401, 404},
    "get_media_original": {401, 403, 404},
    "import_factchecks": {401, 403, 413, 422},
    "list_taxonomy": {401, 422},
    "assign_case": {401, 403, 404, 409, 422},
    "submit_assessment": {401, 403, 404, 409, 422},
    "list_assessments": {401, 403, 404},
    "get_consensus": {401, 403, 404},
    "recompute_bridging": {401, 403},
    "decide_case": {401, 403, 404, 409, 422},
    "get_decision": {401, 404},
    "get_decision_claimreview": {401, 404},
    "file_appeal": {401, 403, 404, 409, 422, 429},
    "decide_appeal": {401, 403, 404, 409, 422},
    "refer_case": {401, 403, 404, 409, 422},
    "list_referrals": {401, 422},
    "get_referral": {401, 404},
    "record_response": {401, 403, 404, 422},
    "get_transparency_report": {422, 429},
    "get_referral_notice": {401, 404},
    "research_reports": {401, 422, 429},
    "research_cases": {401, 422, 429},
    "create_research_key": {401, 403, 422},
    "list_research_keys": {401, 403, 422},
    "revoke_research_key": {401, 403, 404},
}
ERROR_SCHEMAS = {
    401: "UnauthorizedOut",
    403: "RefusedOut",
    404: "NotFoundOut",
    409: "ConflictOut",
    413: "TooLargeOut",
    422: "FieldErrorsOut",
    429: "RateLimitedOut",
}


@pytest.fixture(scope="module")
def document():
    from baraza.api import api

    return api.get_openapi_schema()


def _operations(document):
    for path in document["paths"].values():
        for operation in path.values():
            yield operation["operationId"], operation


def _properties(document):
    """(where, name, schema) of every property of every component, and every query
    parameter of every operation."""
    for component, schema in document["components"]["schemas"].items():
        for name, prop in schema.get("properties", {}).items():
            yield component, name, prop
    for operation_id, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "path":
                yield operation_id, parameter["name"], parameter


def _has_enum(document, schema):
    if "$ref" in schema:
        return _has_enum(
            document, document["components"]["schemas"][schema["$ref"].rsplit("/")[-1]]
        )
    if "enum" in schema or "const" in schema:
        return True
    if schema.get("type") == "array":
        return _has_enum(document, schema["items"])
    alternatives = [s for key in ("anyOf", "allOf", "oneOf") for s in schema.get(key, [])]
    values = [s for s in alternatives if s.get("type") != "null"]
    return bool(values) and all(_has_enum(document, s) for s in values)


def test_every_field_of_every_schema_and_query_has_a_description(document):
    bare = [
        f"{where}.{name}"
        for where, name, prop in _properties(document)
        if not prop.get("description", "").strip()
    ]
    assert bare == []


def test_every_enumerated_field_carries_its_values(document):
    bare = [
        f"{where}.{name}"
        for where, name, prop in _properties(document)
        if name in ENUMERATED
        and (where, name) not in FREE_TEXT
        and not _has_enum(document, prop.get("schema", prop))
    ]
    assert bare == []


def test_the_enumerated_fields_named_by_the_issue_carry_their_values(document):
    schemas = document["components"]["schemas"]
    for component, name in [
        ("ReferIn", "requested_action"),
        ("ResponseIn", "decision_visibility"),
        ("ResponseIn", "decision_account"),
        ("StatusChangeIn", "status"),
        ("ReportOut", "tlp"),
        ("ReportOut", "channel"),
        ("CaseOut", "category"),
        ("CaseOut", "platform"),
        ("TermOut", "scheme"),
        ("DecisionForOwnerOut", "outcome"),
        ("DecisionForOwnerOut", "actions"),
        ("AppealOut", "status"),
        ("ResponseOut", "kind"),
        ("ReportRow", "status"),
        ("CaseRow", "outcome"),
    ]:
        assert _has_enum(document, schemas[component]["properties"][name]), (component, name)
    assert set(schemas["DecisionVisibility"]["enum"]) >= {"DECISION_VISIBILITY_CONTENT_REMOVED"}


def test_taxonomy_codes_say_where_their_values_come_from(document):
    for where, name, prop in _properties(document):
        if name in TAXONOMY_CODES:
            scheme = {"categories": "category", "techniques": "disarm_technique"}.get(name, name)
            assert f"list_taxonomy?scheme={scheme}" in prop["description"], (where, name)


def test_every_operation_has_a_summary_and_a_description(document):
    for operation_id, operation in _operations(document):
        assert operation.get("summary") and operation.get("description"), operation_id


def test_every_operation_lists_the_errors_it_answers(document):
    documented = {
        operation_id: {int(code) for code in operation["responses"] if int(code) >= 400}
        for operation_id, operation in _operations(document)
    }
    assert documented == ERRORS


def test_token_operations_answer_401_and_operations_with_input_422(document):
    for operation_id, operation in _operations(document):
        codes = {int(code) for code in operation["responses"]}
        if operation.get("security"):
            assert 401 in codes, operation_id
        queried = any(p["in"] != "path" for p in operation.get("parameters", []))
        if operation.get("requestBody") or queried:
            assert 422 in codes, operation_id


def test_errors_are_documented_with_the_shared_error_schemas(document):
    for operation_id, operation in _operations(document):
        for code, response in operation["responses"].items():
            if int(code) < 400:
                continue
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": f"#/components/schemas/{ERROR_SCHEMAS[int(code)]}"}, (
                operation_id,
                code,
            )
    schemas = document["components"]["schemas"]
    assert set(schemas["NotFoundOut"]["properties"]) == {"detail", "field"}
    assert set(schemas["FieldErrorOut"]["properties"]) >= {"loc", "msg", "type"}


@pytest.mark.django_db
def test_declaring_errors_changes_no_answer(client, people, make_report):
    # ninja's own validation errors keep their shape, the handlers' errors theirs, and a
    # success is still serialised with its schema although the operation declares several.
    invalid = client.post(
        "/api/cases/1/status",
        {"status": "vanished"},
        content_type="application/json",
        headers=people.secretariat.auth,
    )
    assert invalid.status_code == 422
    [error] = invalid.json()["detail"]
    assert error["loc"][-1] == "status" and {"loc", "msg", "type"} <= set(error)
    missing = client.get("/api/cases/999999", headers=people.secretariat.auth)
    assert missing.status_code == 404 and set(missing.json()) == {"detail"}
    report = make_report(None, tlp="clear")
    found = client.get(f"/api/reports/{report.tracking_code}", headers=people.secretariat.auth)
    assert found.status_code == 200 and found.json()["status"] == report.status == "new"
    assert client.get("/api/cases").status_code == 401
