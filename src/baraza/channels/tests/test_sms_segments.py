"""What an SMS reply costs: GSM-7 or UCS-2, one segment or concatenated parts, and the cap.

The sizes are GSM 03.38's and 3GPP TS 23.040's: 160 septets or 70 UCS-2 units in one segment,
153 or 67 per part of a concatenated message. The tests measure parts with their own
arithmetic (UTF-16 code units from Python's codec, two septets per extension character), not
with the module's.
"""

from __future__ import annotations

import pytest

from baraza.channels.providers.sms import is_gsm7, segments, shorten, split_sms

HA = "\u1200"  # ETHIOPIC SYLLABLE HA: one UCS-2 unit
EXTENSION = set("\f^{}\\[~]|€")
SWAHILI = "Asante kwa ripoti yako kuhusu uchaguzi. Tutaikagua na kukujulisha matokeo. "
AMHARIC = "ሪፖርትዎን ተቀብለናል። እናመሰግናለን። "
ARABIC = "شكرا لك على بلاغك حول الانتخابات. "
HINDI = "चुनाव के बारे में आपकी रिपोर्ट के लिए धन्यवाद। "


def septets(text: str) -> int:
    return sum(2 if char in EXTENSION else 1 for char in text)


def ucs2_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_swahili_travels_in_the_gsm_alphabet() -> None:
    assert is_gsm7(SWAHILI)
    assert is_gsm7("Nambari: KE-7F3K. Jibu STOP kuacha. {kura} [2027] ~ | \\ ^ €")


@pytest.mark.parametrize("text", [AMHARIC, ARABIC, HINDI, "Asante 🙏", "Merci … à bientôt"])
def test_amharic_arabic_hindi_emoji_and_the_ellipsis_need_ucs2(text: str) -> None:
    assert not is_gsm7(text)


def test_a_reply_that_fits_one_segment_is_sent_whole() -> None:
    assert split_sms("a" * 160) == ["a" * 160]
    assert split_sms(HA * 70) == [HA * 70]
    assert split_sms("") == []


def test_the_161st_septet_makes_concatenated_parts_of_153() -> None:
    parts = split_sms("a" * 161)

    assert parts == ["a" * 153, "a" * 8]


def test_an_extension_character_counts_two_septets() -> None:
    assert split_sms("a" * 158 + "€") == ["a" * 158 + "€"]  # 160 septets
    assert len(split_sms("a" * 159 + "€")) == 2  # 161 septets


def test_a_euro_sign_at_the_boundary_moves_whole_to_the_next_part() -> None:
    text = "a" * 152 + "€" + "b" * 20

    parts = split_sms(text)

    assert parts[0] == "a" * 152  # the escape and the € may not be parted
    assert parts[1].startswith("€")


def test_the_71st_ucs2_unit_makes_parts_of_67() -> None:
    text = HA * 71

    assert split_sms(text) == [HA * 67, HA * 4]


def test_an_emoji_counts_two_units_and_its_surrogate_pair_is_never_split() -> None:
    assert split_sms("a" * 68 + "😀") == ["a" * 68 + "😀"]  # 70 units: one segment
    text = "a" * 66 + "😀" + "b" * 10

    parts = split_sms(text)

    assert parts[0] == "a" * 66  # the emoji would make 68 units
    assert parts[1].startswith("😀")


def test_one_emoji_sends_a_swahili_text_in_ucs2() -> None:
    text = SWAHILI + "🙏"  # 76 characters: one GSM-7 segment, but two UCS-2 parts

    assert len(split_sms(text)) == 2


@pytest.mark.parametrize(
    "text, gsm7",
    [(SWAHILI * 8, True), (AMHARIC * 6, False), (ARABIC * 5, False), (HINDI * 4, False)],
)
def test_long_texts_are_cut_at_spaces_within_each_parts_size(text: str, gsm7: bool) -> None:
    parts = split_sms(text, max_parts=20)

    assert "".join(parts) == text
    assert len(parts) > 1
    for part in parts[:-1]:
        assert part.endswith(" ")  # no word is broken across two parts
        assert (septets(part) <= 153) if gsm7 else (ucs2_units(part) <= 67)


def test_a_word_longer_than_a_part_is_cut_where_the_part_is_full() -> None:
    text = "https://example.org/" + "x" * 300

    parts = split_sms(text)

    assert "".join(parts) == text
    assert [septets(part) for part in parts] == [153, 153, 14]


def test_segments_are_counted_as_the_provider_fills_them() -> None:
    assert segments("a" * 160) == 1
    assert segments("a" * 306) == 2  # 2 x 153
    assert segments("a" * 307) == 3
    assert segments(HA * 134) == 2  # 2 x 67
    assert segments("€" * 153) == 3  # 306 septets, and no part may end inside a pair


def test_cutting_at_spaces_gives_way_when_it_would_break_the_cap() -> None:
    # 402 units: six filled UCS-2 parts, but ten if every part ended at a space.
    text = (HA * 40 + " ") * 9 + HA * 33

    parts = split_sms(text, max_parts=6)

    assert shorten(text, max_parts=6) == text  # the provider sends it in six: nothing is cut
    assert [ucs2_units(part) for part in parts] == [67] * 6
    assert "".join(parts) == text


def test_a_reply_within_the_cap_is_left_alone() -> None:
    text = SWAHILI * 10  # 750 septets: 5 parts

    assert shorten(text, max_parts=6) == text


def test_a_gsm_reply_over_the_cap_ends_with_three_dots_and_stays_gsm7() -> None:
    text = SWAHILI * 20

    shortened = shorten(text, max_parts=6)

    assert shortened.endswith("...")
    assert text.startswith(shortened[:-3])
    assert is_gsm7(shortened)
    assert segments(shortened) == 6


def test_an_amharic_reply_over_the_cap_ends_with_an_ellipsis_in_six_parts() -> None:
    text = AMHARIC * 40

    parts = split_sms(text, max_parts=6)

    assert len(parts) == 6
    assert all(ucs2_units(part) <= 67 for part in parts)
    assert parts[-1].endswith("…")


def test_a_shortened_reply_keeps_the_tracking_code_it_would_have_lost() -> None:
    text = SWAHILI * 20 + "Nambari ya ufuatiliaji: KE-7F3K"

    shortened = shorten(text, max_parts=6, keep="KE-7F3K")

    assert shortened.endswith("... KE-7F3K")
    assert segments(shortened) <= 6


def test_a_tracking_code_before_the_cut_is_not_repeated() -> None:
    text = "Nambari ya ufuatiliaji: KE-7F3K. " + SWAHILI * 20

    shortened = shorten(text, max_parts=6, keep="KE-7F3K")

    assert shortened.count("KE-7F3K") == 1
    assert shortened.endswith("...")
