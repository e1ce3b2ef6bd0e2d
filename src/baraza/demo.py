"""The demo coalition that `make run` creates in an empty database. Fictional organisations and
people; the reports imitate the kinds of content coalitions received in recent African elections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction

from baraza.accounts.actions import do_create_member
from baraza.accounts.models import Member, Organisation, Role
from baraza.intake.actions import do_submit_report
from baraza.intake.models import Channel, Election
from baraza.intake.validation import ReportIn

ORGANISATIONS = [
    # slug, name, kind, country
    (settings.HOST_ORGANISATION, "Coalition Secretariat", Organisation.Kind.SECRETARIAT, "KE"),
    ("ukweli-factcheck", "Ukweli Fact-Check", Organisation.Kind.FACT_CHECKER, "KE"),
    ("sauti-civic-watch", "Sauti Civic Watch", Organisation.Kind.CIVIL_SOCIETY, "KE"),
    ("gaskiya-media-lab", "Gaskiya Media Lab", Organisation.Kind.MEDIA, "NG"),
    ("pan-african-dfr", "Pan-African Digital Forensics Lab", Organisation.Kind.ACADEMIC, "ZA"),
    ("electoral-commission", "Electoral Commission (demo)", Organisation.Kind.ELECTION_BODY, "KE"),
    ("examplebook", "ExampleBook Trust & Safety", Organisation.Kind.PLATFORM, "IE"),
]

MEMBERS = [
    # email local part, organisation slug, role
    ("secretariat", settings.HOST_ORGANISATION, Role.SECRETARIAT),
    ("admin", settings.HOST_ORGANISATION, Role.ADMIN),
    ("reviewer", "ukweli-factcheck", Role.REVIEWER),
    ("reviewer2", "gaskiya-media-lab", Role.REVIEWER),
    ("monitor", "sauti-civic-watch", Role.MONITOR),
    ("liaison", "examplebook", Role.PLATFORM_LIAISON),
    ("researcher", "pan-african-dfr", Role.RESEARCHER),
    ("commission", "electoral-commission", Role.REVIEWER),
]

VIRAL_URL = "https://www.facebook.com/KenyaVoterNews/posts/pfbid02demo7731"
CLOSING_TIME = "Polling stations in Kisumu will close at 2pm on voting day, not 5pm. Share widely!"

# (who submits: a member's local part or None for the public), fields of the report
REPORTS: list[tuple[str | None, dict[str, str]]] = [
    (
        None,
        {
            "text": CLOSING_TIME,
            "platform": "whatsapp",
            "country": "KE",
            "category": "voter_suppression",
            "language": "en",
        },
    ),
    (
        None,
        {
            "text": CLOSING_TIME,
            "platform": "facebook",
            "country": "KE",
            "category": "voter_suppression",
        },
    ),
    (
        "monitor",
        {
            "text": CLOSING_TIME,
            "platform": "x",
            "country": "KE",
            "category": "voter_suppression",
            "tlp": "green",
        },
    ),
    (
        None,
        {
            "text": "Vituo vya kupigia kura Kisumu vitafungwa saa nane mchana, si saa kumi na moja jioni.",
            "platform": "whatsapp",
            "country": "KE",
            "category": "voter_suppression",
            "language": "sw",
        },
    ),
    (
        None,
        {
            "url": VIRAL_URL,
            "text": "This page says the results are already decided before voting.",
            "platform": "facebook",
            "country": "KE",
            "category": "election_integrity",
        },
    ),
    (
        "monitor",
        {
            "url": "https://m.facebook.com/KenyaVoterNews/posts/pfbid02demo7731?utm_source=wa",
            "platform": "facebook",
            "country": "KE",
            "category": "election_integrity",
            "tlp": "green",
        },
    ),
    (
        "monitor",
        {
            "text": "Video 'leaked' of the commission chair admitting rigging. It is AI-generated, the lips do not match.",
            "url": "https://www.tiktok.com/@uchaguzi_leaks/video/7301234567890123456",
            "platform": "tiktok",
            "country": "KE",
            "category": "synthetic_media",
            "tlp": "amber",
        },
    ),
    (
        None,
        {
            "text": "Wapiga kura wa jamii fulani wasiende vituoni, watashambuliwa.",
            "platform": "telegram",
            "country": "KE",
            "category": "incitement",
            "language": "sw",
        },
    ),
    (
        None,
        {
            "text": "Ku je ku kada kuri ranar Lahadi, an canza ranar zabe zuwa Litinin.",
            "platform": "facebook",
            "country": "NG",
            "category": "voter_suppression",
            "language": "ha",
        },
    ),
    (
        None,
        {
            "text": "Ku je ku kada kuri ranar Lahadi, an canza ranar zabe zuwa Litinin.",
            "platform": "whatsapp",
            "country": "NG",
            "category": "voter_suppression",
            "language": "ha",
        },
    ),
    (
        "monitor",
        {
            "text": "INEC has moved the presidential election to Monday because of insecurity. Do not go out on Sunday.",
            "platform": "x",
            "country": "NG",
            "category": "voter_suppression",
            "language": "en",
            "tlp": "green",
        },
    ),
    (
        None,
        {
            "text": "Le bureau de vote de Grand-Yoff est déplacé à l'école Liberté 6, apportez votre carte.",
            "platform": "whatsapp",
            "country": "SN",
            "category": "voter_suppression",
            "language": "fr",
        },
    ),
    (
        None,
        {
            "text": "La candidate n'est qu'une femme, elle devrait rester à la cuisine au lieu de diriger le pays.",
            "platform": "facebook",
            "country": "SN",
            "category": "gendered_violence",
            "language": "fr",
        },
    ),
    (
        "monitor",
        {
            "text": "Edited photos of a woman MP circulated with sexual captions to shame her before the vote.",
            "platform": "instagram",
            "country": "KE",
            "category": "gendered_violence",
            "language": "en",
            "tlp": "red",
        },
    ),
    (
        None,
        {
            "text": "A fake account using the Electoral Commission logo says registration reopens with a fee of 500 shillings via M-Pesa.",
            "platform": "facebook",
            "country": "KE",
            "category": "impersonation",
            "language": "en",
        },
    ),
    (
        None,
        {
            "url": "https://x.com/IEBC_Official_KE/status/1800000000000000001",
            "text": "Impersonator of the election body asking for ID numbers.",
            "platform": "x",
            "country": "KE",
            "category": "impersonation",
        },
    ),
    (
        "monitor",
        {
            "url": "https://twitter.com/IEBC_Official_KE/status/1800000000000000001?s=20",
            "platform": "x",
            "country": "KE",
            "category": "impersonation",
            "tlp": "green",
        },
    ),
    (
        None,
        {
            "text": "Os votos já estão contados antes da eleição, a máquina de votação é controlada pelo partido.",
            "platform": "whatsapp",
            "country": "MZ",
            "category": "election_integrity",
            "language": "pt",
        },
    ),
    (
        None,
        {
            "text": "الانتخابات مزورة، لا تذهبوا للتصويت فالنتيجة محسومة مسبقاً",
            "platform": "facebook",
            "country": "SD",
            "category": "election_integrity",
            "language": "ar",
        },
    ),
    (
        None,
        {
            "text": "ምርጫው ተጭበርብሯል፣ ድምጽ መስጠት ዋጋ የለውም",
            "platform": "telegram",
            "country": "ET",
            "category": "election_integrity",
            "language": "am",
        },
    ),
    (
        None,
        {
            "text": "Àwọn ará ìlú kan kò gbọ́dọ̀ dìbò, wọn kì í ṣe ọmọ orílẹ̀-èdè yìí.",
            "platform": "facebook",
            "country": "NG",
            "category": "hate_speech",
            "language": "yo",
        },
    ),
    (
        "monitor",
        {
            "text": "Cartoon comparing an ethnic group to cockroaches shared by a campaign page.",
            "url": "https://www.facebook.com/groups/demo.campaign/posts/5550001",
            "platform": "facebook",
            "country": "KE",
            "category": "hate_speech",
            "tlp": "amber",
        },
    ),
    (
        None,
        {
            "text": "Ballot boxes already stuffed in Nakuru, see the photo from last night.",
            "platform": "x",
            "country": "KE",
            "category": "election_integrity",
            "language": "en",
        },
    ),
    (
        None,
        {
            "text": "BALLOT BOXES ALREADY STUFFED IN NAKURU — see the photo from last night!!",
            "platform": "facebook",
            "country": "KE",
            "category": "election_integrity",
        },
    ),
    (
        None,
        {
            "text": "You can vote by SMS this year: send your ID number to 40404.",
            "platform": "whatsapp",
            "country": "GH",
            "category": "voter_suppression",
            "language": "en",
        },
    ),
    (
        "monitor",
        {
            "text": "You can vote by SMS this year: send your ID number to 40404.",
            "platform": "facebook",
            "country": "GH",
            "category": "voter_suppression",
            "tlp": "green",
        },
    ),
    (
        None,
        {
            "url": "https://www.youtube.com/watch?v=dEm0vId3o12",
            "text": "Deepfake audio of a candidate telling supporters to burn polling stations.",
            "platform": "youtube",
            "country": "NG",
            "category": "synthetic_media",
        },
    ),
    (
        None,
        {
            "url": "https://youtu.be/dEm0vId3o12",
            "platform": "youtube",
            "country": "NG",
            "category": "synthetic_media",
        },
    ),
    (
        None,
        {
            "text": "Election workers in Mombasa are being followed home; here are their names and addresses.",
            "platform": "telegram",
            "country": "KE",
            "category": "incitement",
            "language": "en",
        },
    ),
    (
        "monitor",
        {
            "text": "Les résultats provisoires publiés par ce site sont faux, la commission n'a rien annoncé.",
            "url": "https://resultats-elections-demo.example/provisoires",
            "platform": "website",
            "country": "CI",
            "category": "disinformation",
            "language": "fr",
            "tlp": "clear",
        },
    ),
    (
        None,
        {
            "text": "Mtu yeyote asiye na kitambulisho kipya hataruhusiwa kupiga kura mwaka huu.",
            "platform": "whatsapp",
            "country": "TZ",
            "category": "voter_suppression",
            "language": "sw",
        },
    ),
    (
        None,
        {
            "text": "Candidates' photos edited to show them at a rally that never happened.",
            "platform": "instagram",
            "country": "ZM",
            "category": "disinformation",
            "language": "en",
        },
    ),
]


@dataclass
class DemoLogin:
    email: str
    organisation: str
    role: str
    token: str


def demo_email(local: str) -> str:
    return f"{local}@demo.baraza.example"


@transaction.atomic
def create_demo_coalition() -> list[DemoLogin]:
    """Organisations, one member per role, one election and a few dozen reports."""
    for slug, name, kind, country in ORGANISATIONS:
        Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "country": country}
        )
    logins: list[DemoLogin] = []
    members: dict[str, Member] = {}
    for local, org, role in MEMBERS:
        created = do_create_member(
            org_slug=org, role=role, email=demo_email(local), password=settings.DEMO_PASSWORD
        )
        members[local] = created.member
        logins.append(DemoLogin(demo_email(local), org, role, created.token))
    Election.objects.get_or_create(
        slug="ke-2027",
        defaults={
            "name": "Kenya General Election 2027 (demo)",
            "country": "KE",
            "campaign_start": date(2027, 5, 30),
            "silence_start": date(2027, 8, 7),
            "voting_day": date(2027, 8, 10),
            "results_day": date(2027, 8, 17),
        },
    )
    for submitter, fields in REPORTS:
        data = dict(fields)
        if data["country"] == "KE":
            data["election"] = "ke-2027"
        member = members[submitter] if submitter else None
        channel = Channel.IMPORT if member else Channel.WEB
        do_submit_report(ReportIn.model_validate(data), member=member, channel=channel)
    return logins
