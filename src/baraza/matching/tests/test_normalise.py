import pytest

from baraza.matching.normalise import canonical_url, normalised_text

SAME_POST = {
    "x:status:1800000000000000001": [
        "https://x.com/IEBC_Official_KE/status/1800000000000000001",
        "https://twitter.com/iebc_official_ke/status/1800000000000000001?s=20&t=abc",
        "https://mobile.twitter.com/someone_else/status/1800000000000000001/photo/1",
        "x.com/i/web/status/1800000000000000001",
        "https://fxtwitter.com/a/status/1800000000000000001",
    ],
    "facebook:post:pfbid02demo7731": [
        "https://www.facebook.com/KenyaVoterNews/posts/pfbid02demo7731",
        "https://m.facebook.com/KenyaVoterNews/posts/pfbid02demo7731?mibextid=Nif5oz",
        "https://web.facebook.com/KenyaVoterNews/posts/pfbid02demo7731/?_rdr",
    ],
    "facebook:post:1234567890": [
        "https://www.facebook.com/permalink.php?story_fbid=1234567890&id=100064",
        "https://m.facebook.com/story.php?story_fbid=1234567890&id=100064&refsrc=x",
    ],
    "facebook:video:987654321": [
        "https://www.facebook.com/SomePage/videos/987654321/",
        "https://www.facebook.com/watch/?v=987654321",
        "https://www.facebook.com/reel/987654321",
    ],
    "youtube:video:dEm0vId3o12": [
        "https://www.youtube.com/watch?v=dEm0vId3o12",
        "https://youtu.be/dEm0vId3o12?si=XyZ",
        "https://m.youtube.com/watch?v=dEm0vId3o12&feature=share&t=42",
        "https://www.youtube.com/shorts/dEm0vId3o12",
        "https://www.youtube.com/embed/dEm0vId3o12",
        "https://music.youtube.com/watch?v=dEm0vId3o12",
    ],
    "tiktok:video:7301234567890123456": [
        "https://www.tiktok.com/@uchaguzi_leaks/video/7301234567890123456",
        "https://www.tiktok.com/@someone/video/7301234567890123456?is_from_webapp=1",
        "https://m.tiktok.com/v/7301234567890123456.html",
    ],
    "instagram:post:CxYz123AbC": [
        "https://www.instagram.com/p/CxYz123AbC/",
        "https://instagram.com/reel/CxYz123AbC/?igsh=abc",
        "https://www.instagram.com/someuser/p/CxYz123AbC/",
    ],
    "telegram:uchaguzi_news/4521": [
        "https://t.me/uchaguzi_news/4521",
        "https://t.me/s/Uchaguzi_News/4521",
        "https://telegram.me/uchaguzi_news/4521?single",
    ],
    "whatsapp:channel:0029VaDemoChannel": [
        "https://whatsapp.com/channel/0029VaDemoChannel",
        "https://www.whatsapp.com/channel/0029VaDemoChannel/",
    ],
}


@pytest.mark.parametrize(
    ("key", "url"), [(key, url) for key, urls in SAME_POST.items() for url in urls]
)
def test_every_address_of_a_post_gives_the_platforms_post_key(key, url):
    assert canonical_url(url) == key


def test_different_posts_stay_different():
    assert canonical_url("https://youtu.be/aaaaaaaaaaa") != canonical_url(
        "https://youtu.be/bbbbbbbbbbb"
    )
    # Instagram shortcodes are case-sensitive.
    assert canonical_url("https://instagram.com/p/AbC/") != canonical_url(
        "https://instagram.com/p/abc/"
    )


def test_other_urls_are_normalised_but_keep_meaningful_parameters():
    assert canonical_url("HTTP://WWW.Example.org/News/Story/?utm_source=wa&id=7#top") == (
        "https://example.org/News/Story?id=7"
    )
    assert canonical_url("https://example.org/a?b=2&a=1") == "https://example.org/a?a=1&b=2"


@pytest.mark.parametrize(
    "url", ["not a url", "https://", "http://[::1", "https://x.com/", "javascript:alert(1)"]
)
def test_malformed_urls_never_crash(url):
    assert isinstance(canonical_url(url), str)


def test_normalised_text_ignores_links_handles_case_and_punctuation():
    assert normalised_text("RT @someone: Vote on MONDAY!! https://t.co/xyz #KenyaDecides") == (
        "rt vote on monday"
    )


def test_normalised_text_folds_compatibility_forms_and_drops_emoji():
    fullwidth_vote = "\uff36\uff2f\uff34\uff25"
    assert normalised_text(f"{fullwidth_vote} \U0001f5f3\ufe0f \ufb01nal \u203c") == "vote final"


def test_normalised_text_keeps_non_latin_scripts_and_right_to_left_text():
    assert normalised_text("الانتخابات مزورة!") == "الانتخابات مزورة"
    assert normalised_text("ምርጫው ተጭበርብሯል፣") == "ምርጫው ተጭበርብሯል"
