import pytest

from baraza.matching.langid import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Les bureaux de vote fermeront à 14h le jour du scrutin.", "fr"),
        ("ستغلق مراكز الاقتراع في الساعة الثانية ظهرا يوم التصويت.", "ar"),
        ("የምርጫ ጣቢያዎች በምርጫው ቀን ከቀኑ 8 ሰዓት ይዘጋሉ።", "am"),
        ("As assembleias de voto vão fechar às 14h no dia da votação.", "pt"),
        ("Polling stations will close at 2pm on voting day, share widely!", "en"),
    ],
)
def test_it_recognises_languages_across_scripts(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "ok", "🗳️🔥", "https://t.co/abc @someone #vote"])
def test_it_says_nothing_when_there_is_too_little_to_go_on(text):
    assert detect_language(text) == ""
