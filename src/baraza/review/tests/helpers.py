"""Shared steps of the review tests: a case, assignments, assessments through the API."""

from baraza.cases.models import Case

ASSESSMENT = {
    "verdict": "false",
    "severity": "3",
    "categories": ["voter_suppression"],
    "techniques": ["T0002"],
    "rationale": "The commission's **official notice** says polls close at 5pm.",
    "evidence": ["https://commission.example/notice"],
    "confidence": 4,
}


def case_of(report):
    return Case.objects.get(links__report=report)


def assign(client, by, case, reviewer=None):
    body = {"reviewer": reviewer.member.user.email} if reviewer else {}
    return client.post(
        f"/api/cases/{case.pk}/assignments",
        body,
        content_type="application/json",
        headers=by.auth if by else {},
    )


def assess(client, person, case, **changes):
    return client.post(
        f"/api/cases/{case.pk}/assessments",
        {**ASSESSMENT, **changes},
        content_type="application/json",
        headers=person.auth if person else {},
    )
