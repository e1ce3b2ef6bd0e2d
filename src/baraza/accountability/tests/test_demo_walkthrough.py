"""The issue's "done when", walked in the demo coalition: a case is referred from its page, the
platform's liaison answers on theirs, the public report shows it (HTML with its disparity table
and charts, PDF, CSV, JSON), and a researcher pulls pseudonymised data with a key."""

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from baraza.accountability.models import Referral
from baraza.accounts.actions import do_issue_token
from baraza.accounts.models import Member
from baraza.cases.models import Case
from baraza.demo import demo_email
from baraza.intake.actions import do_submit_report
from baraza.intake.models import Channel
from baraza.intake.validation import ReportIn
from baraza.review.tests.helpers import assess, assign
from baraza.review.tests.test_decide_case import DECISION

CLAIMS = {
    "sw": ("Vituo vya kupigia kura Kisumu vitafungwa saa nane mchana siku ya uchaguzi.",
           "https://examplebook.example/posts/sw-1"),
    "en": ("The commission has moved voting day in Mombasa to the following Tuesday.",
           "https://examplebook.example/posts/en-1"),
}  # fmt: skip
HOURS_TO_ACTION = {"sw": 30, "en": 5}


def member(local):
    return Member.objects.get(user__email=demo_email(local))


def member_client(local):
    client = Client()
    client.force_login(member(local).user)
    return client


def bearer(local):
    return {"Authorization": f"Bearer {do_issue_token(member(local))}"}


@pytest.fixture
def demo(db, placed):
    with placed():
        call_command("seed_demo")
    cases = {}
    for language, (text, url) in CLAIMS.items():
        for _ in range(5):  # enough reports to pass the public threshold of 5
            with placed():
                report = do_submit_report(
                    ReportIn.model_validate({"text": text, "url": url, "platform": "facebook",
                                             "country": "KE", "category": "voter_suppression",
                                             "language": language, "tlp": "clear"}),
                    member=None, channel=Channel.WEB,
                )  # fmt: skip
        cases[language] = Case.objects.get(links__report=report)
    return cases


def test_refer_answer_publish_and_research_in_the_demo_coalition(demo):
    secretariat, liaison = member_client("secretariat"), member_client("liaison")
    sec = SimpleNamespace(auth=bearer("secretariat"), member=member("secretariat"))
    for language, case in demo.items():
        for local in ("reviewer", "reviewer2"):
            reviewer = SimpleNamespace(auth=bearer(local), member=member(local))
            assert assign(secretariat, sec, case, reviewer).status_code == 201
            assert assess(secretariat, reviewer, case).status_code == 201
        decided = secretariat.post(f"/api/cases/{case.pk}/decision",
                                   {**DECISION, "override_reason": "Urgent before voting day."},
                                   content_type="application/json",
                                   headers=sec.auth)  # fmt: skip
        assert decided.status_code == 201, decided.json()
        referred = secretariat.post(f"/referrals/case/{case.pk}/", {
            "recipient": "examplebook", "requested_action": "remove", "evidence": "", "note": "",
        })  # fmt: skip
        assert referred.status_code == 302
        referral = Referral.objects.get(case=case)
        sent = (timezone.now() - timedelta(hours=48)).replace(second=0, microsecond=0)
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent)
        answered_at = sent + timedelta(hours=HOURS_TO_ACTION[language])
        answered = liaison.post(f"/referrals/{referral.pk}/respond/", {
            "kind": "actioned", "decision_visibility": "DECISION_VISIBILITY_CONTENT_REMOVED",
            "decision_account": "", "reason": "",
            "responded_at": answered_at.astimezone(timezone.get_current_timezone())
            .strftime("%Y-%m-%dT%H:%M"), "zone": settings.TIME_ZONE,
        })  # fmt: skip
        assert answered.status_code == 302, answered.content.decode()[:500]

    public = Client()
    html = public.get("/transparency/").content.decode()
    assert html.count("<svg") == 2
    by_language = html[html.index("By language") :]
    assert '<td>sw</td><td class="num">1</td><td class="num">1</td><td class="num">30.0</td>' in (
        by_language
    )
    assert '<td class="num">6.0</td>' in by_language  # sw is six times slower than en
    body = public.get("/api/transparency").json()
    assert {row["group"]: row["time_ratio"] for row in body["disparity"]["language"]} == {
        "en": 1.0,
        "sw": 6.0,
    }
    rows = list(csv.DictReader(io.StringIO(public.get("/transparency/rows.csv").content.decode())))
    assert sorted((r["language"], r["reports"], r["actioned"]) for r in rows) == [
        ("en", "5", "1"),
        ("sw", "5", "1"),
    ]
    assert public.get("/transparency/report.pdf").content.startswith(b"%PDF-")
    open_cases = b"".join(public.get("/open-data/cases.jsonl").streaming_content).decode()
    assert open_cases.count("\n") == 2 and "examplebook.example/posts/sw-1" in open_cases

    admin = member_client("admin")
    created = admin.post("/api/research/keys", {
        "holder": "Demo researcher", "email": demo_email("researcher"),
        "purpose": "Platform response times by language",
    }, content_type="application/json", headers=bearer("admin"))  # fmt: skip
    assert created.status_code == 201
    key = created.json()["key"]
    pulled = public.get("/api/research/cases", {"country": "KE", "limit": 1000},
                        headers={"Authorization": f"Bearer {key}"})  # fmt: skip
    assert pulled.status_code == 200
    ours = [item for item in pulled.json()["items"] if item["id"] in {c.pk for c in demo.values()}]
    assert [(i["referrals"], i["referrals_actioned"], i["outcome"]) for i in ours] == [
        (1, 1, "verdict"),
        (1, 1, "verdict"),
    ]
    assert all(item["organisation"].startswith("org_") for item in pulled.json()["items"])
