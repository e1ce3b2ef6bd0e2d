"""What reviewers see of a report's media on the case page: blurred thumbnails until asked,
the derivative once shown, words for files still being processed or refused by processing,
the text read in a picture, and the original's download for the owner's secretariat only."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from baraza.accounts.actions import do_create_member
from baraza.cases.models import CaseReport
from baraza.conftest import PASSWORD, REPORT, People, Person
from baraza.intake.actions import do_submit_report
from baraza.intake.attachments import media_handler
from baraza.intake.models import Channel, Report
from baraza.intake.validation import ReportIn
from baraza.matching.models import FactCheck
from baraza.media.actions import do_add_factcheck_media, do_set_viewing
from baraza.media.models import Medium, MediumStatus
from baraza.media.tests import files
from baraza.media.upload import BytesUpload, PathUpload

pytestmark = pytest.mark.django_db

Placed = Callable[[], AbstractContextManager[Any]]
SMS_CLAIM = "You can vote by SMS by sending your ID number to 40404."


def report_with_media(
    placed: Placed, by: Person | None, paths: list[Path], **fields: Any
) -> Report:
    """A report submitted with files through the real actions, processed and placed."""
    uploads = [BytesUpload(path.name, path.read_bytes()) for path in paths]
    data = ReportIn.model_validate({**REPORT, **fields}, context={"media": len(uploads)})
    with placed(), media_handler().checked(uploads) as checked:
        report = do_submit_report(
            data, member=by.member if by else None, channel=Channel.API, files=checked
        )
    return report


def case_page(client: Client, person: Person | None, report: Report) -> Any:
    client.logout()
    if person is not None:
        assert client.login(username=person.member.user.email, password=PASSWORD)
    case_id = CaseReport.objects.get(report=report).case_id
    return client.get(f"/cases/{case_id}/")


@pytest.fixture
def photo_report(people: People, placed: Placed, tmp_path: Path) -> Report:
    """An amber report of Ukweli's monitor with one photo."""
    photo = files.make_jpeg(tmp_path / "IMG_0042.jpg", (640, 480))
    return report_with_media(placed, people.amina, [photo], tlp="amber")


def test_pictures_are_blurred_thumbnails_until_the_reviewer_asks(
    client: Client, people: People, photo_report: Report
) -> None:
    medium = Medium.objects.get()
    response = case_page(client, people.alice, photo_report)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<img class="thumb" src="/media/{medium.pk}/thumbnail"' in html
    assert f'<input type="checkbox" class="reveal sr" id="reveal-{medium.pk}">' in html
    assert f'<label for="reveal-{medium.pk}" class="cover">' in html
    assert ".cover .thumb{filter:blur(" in html
    # The derivative waits, unfetched, behind the control.
    assert f'src="/media/{medium.pk}/derivative" alt="Picture sent with the report"' in html
    assert 'loading="lazy"' in html
    assert "640 \u00d7 480 px" in html
    assert "<script" not in html


def test_the_case_page_of_a_picture_is_a_404_for_another_organisation_and_asks_strangers_to_log_in(
    client: Client, people: People, photo_report: Report
) -> None:
    assert case_page(client, people.bob, photo_report).status_code == 404
    response = case_page(client, None, photo_report)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_reviewer_who_chose_so_sees_pictures_unblurred_at_once(
    client: Client, people: People, photo_report: Report
) -> None:
    medium = Medium.objects.get()
    do_set_viewing(people.alice.member, show_unblurred=True)
    html = case_page(client, people.alice, photo_report).content.decode()
    assert f'id="reveal-{medium.pk}"' not in html
    assert f'<img class="derivative" src="/media/{medium.pk}/derivative"' in html
    assert 'loading="lazy"' not in html
    assert 'name="show_unblurred" checked' in html
    # Each reviewer's own choice: Ukweli's monitor still sees them blurred.
    seen_by_amina = case_page(client, people.amina, photo_report).content.decode()
    assert f'id="reveal-{medium.pk}"' in seen_by_amina


def test_the_case_page_offers_the_choice_and_comes_back_to_itself(
    client: Client, people: People, photo_report: Report
) -> None:
    page = case_page(client, people.alice, photo_report)
    html = page.content.decode()
    case_path = page.request["PATH_INFO"]
    assert 'action="/media/viewing/"' in html
    assert f'name="next" value="{case_path}"' in html
    assert "Always show pictures and videos unblurred" in html
    response = client.post("/media/viewing/", {"show_unblurred": "on", "next": case_path})
    assert response.status_code == 302 and response["Location"] == case_path
    assert f'id="reveal-{Medium.objects.get().pk}"' not in client.get(case_path).content.decode()


def test_a_file_being_processed_or_refused_by_processing_is_said_in_words(
    client: Client, people: People, photo_report: Report
) -> None:
    Medium.objects.update(status=MediumStatus.PENDING)
    html = case_page(client, people.alice, photo_report).content.decode()
    assert "Picture · Being processed" in html
    assert "reload the page in a minute" in html
    assert "/thumbnail" not in html and "/derivative" not in html
    Medium.objects.update(status=MediumStatus.FAILED, failure="ffmpeg: invalid data")
    html = case_page(client, people.alice, photo_report).content.decode()
    assert "Picture · Could not be processed" in html
    assert "/thumbnail" not in html and "/derivative" not in html


def test_the_text_read_in_a_picture_is_shown_under_it(
    client: Client, people: People, photo_report: Report
) -> None:
    Medium.objects.update(ocr_text="VOTE BY SMS\nSEND YOUR ID TO 40404")
    html = case_page(client, people.alice, photo_report).content.decode()
    assert "Text read in the picture:" in html
    assert '<blockquote class="ocr">VOTE BY SMS\nSEND YOUR ID TO 40404</blockquote>' in html


def test_videos_play_from_the_derivative_and_sounds_are_not_blurred(
    client: Client, people: People, placed: Placed, tmp_path: Path
) -> None:
    clip = files.make_video(tmp_path / "clip.mp4", "mp4", 1.5)
    voice = files.make_audio(tmp_path / "voice.ogg", "ogg-opus", 2)
    report = report_with_media(placed, people.amina, [clip, voice], tlp="amber")
    video, sound = Medium.objects.order_by("position")
    html = case_page(client, people.alice, report).content.decode()
    assert f'id="reveal-{video.pk}"' in html
    player = (
        f'<video class="derivative" controls preload="none" poster="/media/{video.pk}/thumbnail"'
    )
    assert player in html
    assert f'<audio controls preload="none" src="/media/{sound.pk}/derivative">' in html
    assert f'id="reveal-{sound.pk}"' not in html
    assert "2 media files sent with the report:" in html


def test_only_the_owners_secretariat_sees_the_original_download(
    client: Client, people: People, photo_report: Report
) -> None:
    medium = Medium.objects.get()
    button = f'action="/media/{medium.pk}/original"'
    coordinator = do_create_member(
        org_slug="ukweli", role="secretariat", email="coord@ukweli.example", password=PASSWORD
    )
    owner = Person(coordinator.member, coordinator.token)
    assert button in case_page(client, owner, photo_report).content.decode()
    assert button not in case_page(client, people.alice, photo_report).content.decode()
    assert button not in case_page(client, people.amina, photo_report).content.decode()


def test_a_public_reports_original_is_offered_to_the_host_secretariat(
    client: Client, people: People, placed: Placed, tmp_path: Path
) -> None:
    report = report_with_media(placed, None, [files.make_png(tmp_path / "a.png")])
    html = case_page(client, people.secretariat, report).content.decode()
    assert f'action="/media/{Medium.objects.get().pk}/original"' in html


def test_words_read_in_a_meme_find_the_fact_check_of_its_claim(
    client: Client, people: People, placed: Placed, tmp_path: Path
) -> None:
    claimreview = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": SMS_CLAIM,
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "url": "https://factcheck.example/sms",
        "author": {"@type": "Organization", "name": "Ukweli Fact-Check"},
    }
    client.post(
        "/api/factchecks/import",
        {"file": SimpleUploadedFile("feed.json", json.dumps([claimreview]).encode())},
        headers=people.alice.auth,
    )
    meme = files.make_jpeg(tmp_path / "meme.jpg", (400, 300))
    report = report_with_media(placed, people.amina, [meme], text="", tlp="amber")
    html = case_page(client, people.alice, report).content.decode()
    assert "https://factcheck.example/sms" not in html  # no words yet: nothing to search
    Medium.objects.update(ocr_text="You can vote by SMS! Send your ID number to 40404")
    html = case_page(client, people.alice, report).content.decode()
    assert "Published fact-checks that may match" in html
    assert "https://factcheck.example/sms" in html


def test_the_page_reads_media_in_a_fixed_number_of_queries(
    client: Client,
    people: People,
    placed: Placed,
    tmp_path: Path,
    django_assert_max_num_queries: Any,
) -> None:
    photo = files.make_jpeg(tmp_path / "same.jpg", (320, 240))
    first = report_with_media(placed, people.amina, [photo], tlp="amber")
    assert client.login(username=people.alice.member.user.email, password=PASSWORD)
    case_id = CaseReport.objects.get(report=first).case_id
    with django_assert_max_num_queries(100) as one_report:
        client.get(f"/cases/{case_id}/")
    for n in range(3):  # the same photo again: they join the case
        report_with_media(placed, people.amina, [photo], text=f"Again, number {n}", tlp="amber")
    assert CaseReport.objects.filter(case_id=case_id).count() == 4
    with django_assert_max_num_queries(len(one_report.captured_queries)):
        html = client.get(f"/cases/{case_id}/").content.decode()
    assert html.count('class="reveal sr"') == 4


def test_a_fact_check_of_the_same_picture_is_named_on_the_case_page(
    client: Client, people: People, placed: Placed, tmp_path: Path
) -> None:
    debunked = files.make_jpeg(tmp_path / "debunked.jpg", (800, 600), seed=11)
    factcheck = FactCheck.objects.create(
        claim="This photo shows ballot boxes stuffed before voting began.",
        rating="False",
        url="https://factcheck.example/boxes",
        author="Gaskiya Media Lab",
        fingerprint="https://factcheck.example/boxes",
    )
    with placed():
        do_add_factcheck_media(factcheck, [PathUpload(debunked)], None)
    other = FactCheck.objects.create(claim="Another claim", fingerprint="other")
    with placed():
        unrelated = files.make_jpeg(tmp_path / "other.jpg", (800, 600), seed=12)
        do_add_factcheck_media(other, [PathUpload(unrelated)], None)
    copy = tmp_path / "forwarded.jpg"
    Image.open(debunked).resize((400, 300)).save(copy, "JPEG", quality=50)
    report = report_with_media(placed, people.amina, [copy], tlp="amber")
    html = case_page(client, people.alice, report).content.decode()
    assert "Fact-checks of the same picture" in html
    assert "https://factcheck.example/boxes" in html
    assert f"Picture of report {report.display_code}" in html
    assert "Another claim" not in html


def test_without_media_the_case_page_says_nothing_of_them(
    client: Client, people: People, make_report: Callable[..., Report]
) -> None:
    report = make_report(people.amina, tlp="amber")
    html = case_page(client, people.alice, report).content.decode()
    assert "Fact-checks of the same picture" not in html
    assert "show_unblurred" not in html and ".cover" not in html
